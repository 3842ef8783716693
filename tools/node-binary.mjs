// @ts-check
/**
 * The official Node.js binary of one major version, from the npm registry (package
 * node-<os>-<arch>), cached in .cache/node<major>. Plain JavaScript on purpose: scripts/with-node.mjs
 * uses it before `npm ci`, on whatever node the machine has; the test runner uses it for the Node 22 tiers.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * The folder holding `node` of that major version, fetched when missing, and its version; or
 * `why` it could not be had.
 * @param {string} major
 * @returns {{ bin: string; version: string } | { why: string }}
 */
export function nodeBinary(major) {
  const cache = path.join(ROOT, ".cache", `node${major}`);
  const pkg = `node-${process.platform}-${process.arch}`;
  const bin = path.join(cache, "package", "bin");
  if (!existsSync(path.join(bin, "node"))) {
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    const packed = spawnSync("npm", ["pack", `${pkg}@${major}`, "--silent"], { cwd: cache, encoding: "utf8" });
    const tarball = readdirSync(cache).find((name) => name.endsWith(".tgz"));
    if (packed.status !== 0 || !tarball) return { why: `could not fetch ${pkg}@${major} from the npm registry (${packed.stderr?.trim() || "no tarball"})` };
    const unpacked = spawnSync("tar", ["xzf", tarball], { cwd: cache, stdio: "inherit" });
    if (unpacked.status !== 0) return { why: `could not unpack the Node ${major} tarball` };
    rmSync(path.join(cache, tarball), { force: true });
  }
  const version = spawnSync(path.join(bin, "node"), ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "";
  if (!version.startsWith(`v${major}.`)) return { why: `${bin}/node says ${version || "nothing"}, not v${major}` };
  return { bin, version };
}
