/**
 * The production build the browser-side measurements run against: `next build` of a copy of the
 * working tree in the OS temp folder (so the .next other people's e2e runs use is never touched),
 * reused while no source file changed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** The app to build: this repository (BENCH_APP_ROOT names another checkout). */
const ROOT = process.env.BENCH_APP_ROOT ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const BUILD_DIR = path.join(tmpdir(), "avatar-relay-bench-build");

function sourceFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  return out
    .split("\0")
    .filter(Boolean)
    .filter((file) => !file.startsWith("bench/") && existsSync(path.join(ROOT, file)))
    .sort();
}

function treeHash(files: string[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update("\0").update(readFileSync(path.join(ROOT, file))).update("\0");
  return hash.digest("hex");
}

export type BuildInfo = { dir: string; reused: boolean; seconds: number; hash: string };

/** Builds (or reuses, when no source file changed) the copy; node_modules is hard-linked, not copied. */
export function productionBuild(log: (line: string) => void): BuildInfo {
  const files = sourceFiles();
  const hash = treeHash(files);
  const stamp = path.join(BUILD_DIR, ".bench-build-hash");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash && existsSync(path.join(BUILD_DIR, ".next", "BUILD_ID"))) {
    log(`  reusing the production build in ${BUILD_DIR} (sources unchanged)`);
    return { dir: BUILD_DIR, reused: true, seconds: 0, hash };
  }
  const started = performance.now();
  const lockHash = createHash("sha256").update(readFileSync(path.join(ROOT, "package-lock.json"))).digest("hex");
  const lockStamp = path.join(BUILD_DIR, ".bench-lock-hash");
  const modulesFresh = existsSync(lockStamp) && readFileSync(lockStamp, "utf8") === lockHash;
  for (const entry of existsSync(BUILD_DIR) ? readdirSync(BUILD_DIR) : []) {
    if (entry === "node_modules" && modulesFresh) continue;
    rmSync(path.join(BUILD_DIR, entry), { recursive: true, force: true });
  }
  mkdirSync(BUILD_DIR, { recursive: true });
  for (const file of files) cpSync(path.join(ROOT, file), path.join(BUILD_DIR, file), { recursive: false });
  if (!modulesFresh) {
    execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(BUILD_DIR, "node_modules")]);
    writeFileSync(lockStamp, lockHash);
  }
  log(`  next build in ${BUILD_DIR} (a copy of the working tree; takes a minute or two)`);
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    cwd: BUILD_DIR,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
  writeFileSync(stamp, hash);
  return { dir: BUILD_DIR, reused: false, seconds: (performance.now() - started) / 1000, hash };
}
