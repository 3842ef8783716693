/**
 * Writes the hostile/broken test corpus to a folder, to try by hand in the browser:
 *   node --import tsx scripts/make-bad-files.ts /tmp/bad-files
 * The tests generate the same files in memory (test/harness/bad-files.ts); nothing binary is committed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { makeBadFiles } from "@/test/harness/bad-files";

const target = path.resolve(process.argv[2] ?? "bad-files");
mkdirSync(target, { recursive: true });
for (const file of await makeBadFiles({ maxBytes: 10 * 1024 * 1024 })) {
  writeFileSync(path.join(target, file.name), file.bytes);
  console.log(`${file.name.padEnd(16)} ${String(file.bytes.length).padStart(9)} B  ${file.label}`);
}
