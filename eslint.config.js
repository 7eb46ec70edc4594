// ESLint 9 flat config. Besides the usual TypeScript, hooks and accessibility
// rules, `no-restricted-imports` encodes the layers (docs: README "Layers"):
//   app/domain     pure: no services, providers, routes, jobs, *.server utils, Remix or Prisma client
//   app/services   never imports routes or jobs (the worker is woken through a port)
//   SDKs           stripe, gocardless-nodejs, resend and twilio only inside app/providers
//   app/           never imports from tests/
//   ~/testing      only from test files (*.test.ts[x]) and app/testing itself
// A rule is written once per target folder; because imports can also be
// relative ("../../jobs/queue.server"), each source folder gets its own block
// whose patterns also match the relative spelling of every forbidden target.
import fs from "node:fs";
import path from "node:path";
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const root = import.meta.dirname;
const ignored = [
  "node_modules",
  "build",
  "public/build",
  "app/generated",
  "data",
  "var",
  ".cache",
  "tests/.tmp",
  "test-results",
  "playwright-report",
];
const sourceExt = "{js,mjs,cjs,ts,tsx}";

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every folder holding sources, so each gets its own block (relative imports are resolved per folder). */
function sourceFolders(dir = ".") {
  const out = [dir];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const child = path.posix.join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith(".") && !ignored.includes(child) && !child.startsWith("prisma/migrations")) {
      out.push(...sourceFolders(child));
    }
  }
  return out;
}

/**
 * A pattern matching an import of `target` (a path from the repo root, e.g. "app/jobs") from a file in
 * `fromDir`, written with the ~/ alias or relatively. `rest` is a regex for what may follow the folder.
 */
function importOf(fromDir, target, rest = "(/.*)?") {
  const spellings = [];
  if (target.startsWith("app/")) spellings.push(escape(`~/${target.slice(4)}`));
  let relative = path.posix.relative(fromDir, target);
  if (!relative.startsWith(".")) relative = `./${relative}`;
  spellings.push(escape(relative));
  return `^(${spellings.join("|")})${rest}$`;
}

const packageOf = (name) => `^${escape(name)}(/.*)?$`;

const inside = (dir, folder) => dir === folder || dir.startsWith(`${folder}/`);

/** The restricted-import patterns for one kind of file in one folder. */
function restrictions(dir, isTest) {
  const patterns = [];
  const forbid = (regex, message) => patterns.push({ regex, message });

  if (inside(dir, "app/domain")) {
    const why = "app/domain is pure logic over plain data: pass what it needs in as arguments.";
    for (const layer of ["services", "providers", "routes", "jobs"]) forbid(importOf(dir, `app/${layer}`), `${why} (no ~/${layer})`);
    forbid(importOf(dir, "app/utils", "/[^/]+\\.server"), `${why} (no ~/utils/*.server)`);
    forbid(importOf(dir, "app/generated"), `${why} (no Prisma client)`);
    forbid(packageOf("@prisma/client"), `${why} (no Prisma client)`);
    forbid("^@remix-run/", `${why} (no Remix)`);
  }
  if (inside(dir, "app/services") && !isTest) {
    const why =
      "app/services never depends on the web or worker layer (routes call services; services wake the worker through ~/services/wake.server).";
    forbid(importOf(dir, "app/routes"), why);
    forbid(importOf(dir, "app/jobs"), why);
  }
  if (!inside(dir, "app/providers")) {
    for (const sdk of ["stripe", "gocardless-nodejs", "resend", "twilio"]) {
      forbid(packageOf(sdk), `Only app/providers wraps the ${sdk} SDK: use its wrapper (~/providers/*).`);
    }
  }
  if (inside(dir, "app")) forbid(importOf(dir, "tests"), "Code under app/ never imports from tests/.");
  if (!isTest && !inside(dir, "app/testing")) {
    forbid(importOf(dir, "app/testing"), "~/testing is test support: only *.test.ts(x) files and app/testing import it.");
  }
  return patterns;
}

const testFiles = [`**/*.test.${sourceExt}`];

const layerBlocks = sourceFolders().flatMap((dir) => {
  const files = [dir === "." ? `*.${sourceExt}` : `${dir}/*.${sourceExt}`];
  const rule = (isTest) => ["error", { patterns: restrictions(dir, isTest) }];
  return [
    { name: `layers/${dir}`, files, ignores: testFiles, rules: { "no-restricted-imports": rule(false) } },
    {
      name: `layers/${dir} (tests)`,
      files: files.map((f) => f.replace(`*.${sourceExt}`, `*.test.${sourceExt}`)),
      rules: { "no-restricted-imports": rule(true) },
    },
  ];
});

export default tseslint.config(
  { ignores: ignored.map((dir) => `${dir}/`) },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused values are errors; a leading underscore marks one kept on purpose (a signature).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    files: [`app/**/*.tsx`, `emails/**/*.tsx`],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  { files: ["app/**/*.tsx"], ...jsxA11y.flatConfigs.recommended },
  ...layerBlocks,
);
