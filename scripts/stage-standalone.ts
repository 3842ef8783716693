/**
 * `node --import tsx scripts/stage-standalone.ts <dir>`: after `next build`, writes the runnable
 * standalone tree to <dir> (.next/standalone, plus .next/static and public copied into it). The
 * Dockerfile's build stage runs this, and `npm run cluster` stages the same tree with the same
 * function, so the image and the local cluster run identical files.
 */
import path from "node:path";

import { stageArtifact } from "@/tools/build";

const target = process.argv[2];
if (!target) {
  console.error("usage: stage-standalone.ts <target directory>");
  process.exit(2);
}
const { dir, buildId } = stageArtifact(path.resolve(target));
console.log(`standalone artifact of build ${buildId} in ${dir}: run it with \`node server.js\``);
