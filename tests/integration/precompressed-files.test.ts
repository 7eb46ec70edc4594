import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precompressedFiles } from "../../server";

/** server.ts's /build files: compressed once, small chunks included, whatever the client accepts. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "precompressed-"));
const small = 'export{a as b};var a="' + "x".repeat(60) + '";\n'; // under compression()'s 1 KB threshold
const big = `export const words=${JSON.stringify(Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`k${i}`, `mot numéro ${i}`])))};\n`;
let server: http.Server;
let base: string;

beforeAll(async () => {
  fs.mkdirSync(path.join(dir, "_shared"));
  fs.writeFileSync(path.join(dir, "_shared", "chunk-SMALL.js"), small);
  fs.writeFileSync(path.join(dir, "route-BIG.js"), big);
  fs.writeFileSync(path.join(os.tmpdir(), "outside-precompressed.js"), "secret");
  const app = express();
  app.use("/build", precompressedFiles(dir, { warm: true }));
  app.use("/build", express.static(dir));
  app.use((_req, res) => res.status(404).send("not found"));
  server = app.listen(0);
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

function get(urlPath: string, acceptEncoding: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${urlPath}`, { headers: { "Accept-Encoding": acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

async function compressed(urlPath: string, acceptEncoding: string) {
  for (let i = 0; i < 50; i++) {
    const answer = await get(urlPath, acceptEncoding);
    if (answer.headers["content-encoding"]) return answer;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${urlPath} never came back compressed`);
}

describe("precompressedFiles", () => {
  it("sends brotli to a browser that accepts it, small chunks included, cached for a year", async () => {
    const answer = await compressed("/build/_shared/chunk-SMALL.js", "gzip, deflate, br, zstd");
    expect(answer.headers["content-encoding"]).toBe("br");
    expect(zlib.brotliDecompressSync(answer.body).toString()).toBe(small);
    expect(answer.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(answer.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(answer.headers.vary).toBe("Accept-Encoding");
  });

  it("sends gzip when only gzip is accepted, and fewer bytes than the file", async () => {
    const answer = await compressed("/build/route-BIG.js", "gzip");
    expect(answer.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(answer.body).toString()).toBe(big);
    expect(answer.body.length).toBeLessThan(Buffer.byteLength(big) / 3);
    expect(Number(answer.headers["content-length"])).toBe(answer.body.length);
  });

  it("leaves the file as it is to a client that accepts no compression (or refuses brotli with q=0)", async () => {
    await compressed("/build/route-BIG.js", "br");
    const plain = await get("/build/route-BIG.js", "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(big);
    const noBrotli = await get("/build/route-BIG.js", "br;q=0, gzip");
    expect(noBrotli.headers["content-encoding"]).toBe("gzip");
  });

  it("serves nothing outside its directory", async () => {
    const answer = await get("/build/../outside-precompressed.js", "br");
    expect(answer.body.toString()).not.toBe("secret");
    expect(answer.headers["content-encoding"]).toBeUndefined();
  });
});
