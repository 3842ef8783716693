#!/usr/bin/env node
/**
 * Runs a command under Node.js 22, to prove the app runs on Node 20 and 22 in one CI run.
 * Node 22 comes from the npm registry (package node-<os>-<arch>, the official binary), cached
 * in .cache/node22. Usage: node scripts/with-node22.mjs <command> [args...]
 * When no binary exists for this platform it says plainly that it did not run (exit 1 in CI).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";

const VERSION = process.env.NODE22_VERSION ?? "22";
const root = path.resolve(import.meta.dirname, "..");
const cache = path.join(root, ".cache", "node22");
const pkg = `node-${process.platform}-${process.arch}`;
const bin = path.join(cache, "package", "bin");
const required = ["1", "true"].includes((process.env.CI ?? "").toLowerCase());

function fail(message) {
  console.log(`Node 22 run DID NOT RUN: ${message}`);
  process.exit(required ? 1 : 0);
}

if (!existsSync(path.join(bin, "node"))) {
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const packed = spawnSync("npm", ["pack", `${pkg}@${VERSION}`, "--silent"], { cwd: cache, encoding: "utf8" });
  const tarball = readdirSync(cache).find((name) => name.endsWith(".tgz"));
  if (packed.status !== 0 || !tarball) fail(`could not fetch ${pkg}@${VERSION} from the npm registry (${packed.stderr?.trim() || "no tarball"})`);
  const unpacked = spawnSync("tar", ["xzf", tarball], { cwd: cache, stdio: "inherit" });
  if (unpacked.status !== 0) fail("could not unpack the Node 22 tarball");
}

const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
const version = spawnSync(path.join(bin, "node"), ["--version"], { encoding: "utf8" }).stdout.trim();
const [command, ...args] = process.argv.slice(2);
if (!command) fail("no command given");
console.log(`Running under Node ${version}: ${[command, ...args].join(" ")}`);
const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
process.exit(result.status ?? 1);
