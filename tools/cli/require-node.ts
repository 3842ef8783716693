/**
 * Imported first by the command-line entry points: on a Node.js the project does not support, say
 * so in one sentence instead of failing later with an obscure error. Node 20 reached end of life
 * on 2026-04-30, and AWS SDK v3 releases from January 2027 on need Node 22 or later.
 */
const SUPPORTED = "Node.js 24 LTS (or 22)";
const major = Number(process.versions.node.split(".")[0]);

if (major < 22) {
  console.error(`avatar-relay needs ${SUPPORTED}; this is Node.js ${process.version}. Install Node 24 (https://nodejs.org, nvm install 24, or your package manager) and run the command again.`);
  process.exit(1);
}
