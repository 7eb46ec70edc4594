/**
 * `npm run dunning:simulate -- --days 60 [--from 2026-12-01] [--invoice F-2026-0101]`
 * Loads the demo data into a throw-away in-memory database (your real data is
 * never touched), then runs the real dunning tick day by day against a fake
 * clock and prints what would be sent.
 */
import { parseArgs } from "node:util";
import { seedDemo } from "../prisma/seed";
import { daysBetween, fixedClock, startOfDayUTC } from "~/domain/clock";
import { formatMoney } from "~/domain/money";
import { simulateDunning } from "~/services/dunning/simulation.server";
import { openPglite } from "~/utils/db.server";

const { values } = parseArgs({
  options: {
    days: { type: "string", default: "60" },
    from: { type: "string" },
    invoice: { type: "string" },
  },
});
const days = Number(values.days);
if (!Number.isInteger(days) || days < 1 || days > 730) {
  console.error("--days must be a whole number between 1 and 730");
  process.exit(2);
}
const from = startOfDayUTC(values.from ? new Date(values.from) : new Date());
if (Number.isNaN(from.getTime())) {
  console.error("--from must be a date such as 2026-12-01");
  process.exit(2);
}

const database = await openPglite(null);
try {
  const { creditorId } = await seedDemo(database.prisma, fixedClock(from));
  const actions = (await simulateDunning(database.prisma, { creditorId, from, days })).filter(
    (a) => !values.invoice || a.invoices.some((i) => i.number === values.invoice),
  );
  console.log(`Dunning simulation from ${from.toISOString().slice(0, 10)} over ${days} days (demo data, nothing is sent)\n`);
  let lastDay = -1;
  for (const a of actions) {
    if (a.day !== lastDay) {
      console.log(`Day ${String(a.day).padStart(3)}  ${a.date.toISOString().slice(0, 10)}`);
      lastDay = a.day;
    }
    const list = a.invoices
      .map((i) => {
        const offset = daysBetween(i.dueDate, a.date);
        return `${i.number} (J${offset >= 0 ? "+" : ""}${offset}, ${formatMoney(i.balance, i.currency, "fr")})`;
      })
      .join(", ");
    console.log(`   ${a.channel.padEnd(9)} ${a.templateKey.padEnd(20)} ${a.debtor} — ${list}`);
  }
  const byChannel = actions.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.channel]: (acc[a.channel] ?? 0) + 1 }), {});
  console.log(
    `\n${actions.length} actions: ${
      Object.entries(byChannel)
        .map(([c, n]) => `${n} ${c}`)
        .join(", ") || "none"
    }`,
  );
} finally {
  await database.close();
}
