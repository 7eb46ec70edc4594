// Drops and recreates a database next to the one in the given URL; prints its URL.
import pg from "pg";

const [url, name] = process.argv.slice(2);
if (!url || !/^[a-z0-9_]+$/.test(name ?? "")) {
  console.error("usage: fresh-database.mjs <postgresql-url> <name>");
  process.exit(2);
}
const admin = new URL(url);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
// FORCE can be refused for a moment while an autovacuum worker is on the old database: retry.
for (let attempt = 0; ; attempt++) {
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}"${attempt % 2 === 0 ? " WITH (FORCE)" : ""}`);
    break;
  } catch (error) {
    if (attempt === 19) throw error;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
await client.query(`CREATE DATABASE "${name}"`);
await client.end();
const target = new URL(url);
target.pathname = `/${name}`;
console.log(target.toString());
