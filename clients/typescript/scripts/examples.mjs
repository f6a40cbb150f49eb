// Writes build/examples.ts: every bundled example as a constant typed HistoryDocument, so that
// `tsc --strict` checks each against the types generated from the history schema.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const examples = resolve(here, "..", "..", "..", "src", "iqm_rules", "interchange", "examples");
const lines = ['import type { HistoryDocument } from "../src/generated/index.js";', ""];
const names = readdirSync(examples).filter((f) => f.endsWith(".json")).sort();
for (const [n, file] of names.entries()) {
  const data = JSON.parse(readFileSync(join(examples, file), "utf-8"));
  lines.push(`// ${file}`, `export const example${n}: HistoryDocument = ${JSON.stringify(data)};`);
}
mkdirSync(join(here, "..", "build"), { recursive: true });
writeFileSync(join(here, "..", "build", "examples.ts"), lines.join("\n") + "\n");
console.log(`${names.length} examples written to clients/typescript/build/examples.ts`);
