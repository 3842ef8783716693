#!/usr/bin/env node
// @ts-check
/**
 * Runs a command under another Node.js major version (tools/node-binary.mjs fetches the
 * official binary from the npm registry). CI runs the whole suite under Node 24 this way, whatever
 * node the machine has.
 *
 *   node scripts/with-node.mjs 24 npm test
 *
 * Plain JavaScript on purpose: it runs before `npm ci`. When no binary exists for this platform it
 * says plainly that it did not run (exit 1 in CI).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

import { nodeBinary } from "../tools/node-binary.mjs";

const [major, command, ...args] = process.argv.slice(2);
const required = ["1", "true"].includes((process.env.CI ?? "").toLowerCase());

/** @param {string} message */
function didNotRun(message) {
  console.log(`Node ${major ?? "?"} run DID NOT RUN: ${message}`);
  process.exit(required ? 1 : 0);
}

if (!major || !/^\d+$/.test(major)) {
  console.error("usage: node scripts/with-node.mjs <major version> <command> [args...]");
  process.exit(2);
}
if (!command) didNotRun("no command given");
const node = nodeBinary(major);
if ("why" in node) didNotRun(node.why);
else {
  // The package ships node only; npm and npx come from the machine's npm, run by this node.
  const env = { ...process.env, PATH: `${node.bin}${path.delimiter}${process.env.PATH}` };
  console.log(`Running under Node ${node.version}: ${[command, ...args].join(" ")}`);
  const result = spawnSync(/** @type {string} */ (command), args, { cwd: path.resolve(import.meta.dirname, ".."), env, stdio: "inherit" });
  process.exit(result.status ?? 1);
}
