#!/usr/bin/env node
/**
 * Runs a command under another Node.js major version: the official binary from the npm registry
 * (package node-<os>-<arch>), cached in .cache/node<major>. CI runs the whole suite under Node 24
 * this way (the machine's own node may be older) and reruns some tiers under Node 22.
 *
 *   node scripts/with-node.mjs 24 npm test
 *   node scripts/with-node.mjs 22 npm run test:unit
 *
 * Plain JavaScript on purpose: it runs before `npm ci`, on whatever node the machine has.
 * When no binary exists for this platform it says plainly that it did not run (exit 1 in CI).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";

const [major, command, ...args] = process.argv.slice(2);
const required = ["1", "true"].includes((process.env.CI ?? "").toLowerCase());

function fail(message) {
  console.log(`Node ${major ?? "?"} run DID NOT RUN: ${message}`);
  process.exit(required ? 1 : 0);
}

if (!major || !/^\d+$/.test(major)) {
  console.error("usage: node scripts/with-node.mjs <major version> <command> [args...]");
  process.exit(2);
}
if (!command) fail("no command given");

const root = path.resolve(import.meta.dirname, "..");
const cache = path.join(root, ".cache", `node${major}`);
const pkg = `node-${process.platform}-${process.arch}`;
const bin = path.join(cache, "package", "bin");

if (!existsSync(path.join(bin, "node"))) {
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const packed = spawnSync("npm", ["pack", `${pkg}@${major}`, "--silent"], { cwd: cache, encoding: "utf8" });
  const tarball = readdirSync(cache).find((name) => name.endsWith(".tgz"));
  if (packed.status !== 0 || !tarball) fail(`could not fetch ${pkg}@${major} from the npm registry (${packed.stderr?.trim() || "no tarball"})`);
  const unpacked = spawnSync("tar", ["xzf", tarball], { cwd: cache, stdio: "inherit" });
  if (unpacked.status !== 0) fail(`could not unpack the Node ${major} tarball`);
  rmSync(path.join(cache, tarball), { force: true });
}

// The package ships node only; npm and npx come from the machine's npm, run by this node.
const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
const version = spawnSync(path.join(bin, "node"), ["--version"], { encoding: "utf8" }).stdout.trim();
if (!version.startsWith(`v${major}.`)) fail(`${bin}/node says ${version || "nothing"}, not v${major}`);
console.log(`Running under Node ${version}: ${[command, ...args].join(" ")}`);
const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
process.exit(result.status ?? 1);
