/**
 * `vercel build` (Vercel's own builder, the pinned CLI below) on a throw-away copy of
 * the project, offline: a `.vercel/project.json` written here stands in for `vercel pull`, so no
 * account, token or network is needed. A copy, so the run's own `.next` (which other tiers reuse)
 * is left alone; node_modules is hard-linked, not symlinked, because Turbopack refuses a
 * node_modules that points outside the project.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { ROOT } from "../../tools/paths";

const NOT_COPIED = new Set(["node_modules", ".next", ".git", ".vercel", ".data", ".cache", "test-results", "playwright-report", "blob-report", "coverage"]);

/** What `vercel pull` would have written: a linked project's settings (the ids are placeholders). */
export const VERCEL_PROJECT = {
  projectId: "prj_avatarrelaytest",
  orgId: "team_avatarrelaytest",
  // installCommand "": dependencies are already there; nodeVersion: what the functions run on.
  settings: { framework: "nextjs", nodeVersion: "24.x", installCommand: "", buildCommand: null, outputDirectory: null, rootDirectory: null, devCommand: null },
};

/**
 * The pinned CLI, installed once per machine into .cache/vercel-cli: not a devDependency, because
 * its lock entries name platform packages (@vercel/vc-native-darwin-*) at versions the registry
 * here does not have, and `npm ci` refuses a lock without them. TEST_VERCEL_CLI: a vc.js elsewhere.
 */
export const VERCEL_CLI_VERSION = "59.25.4";
function vercelCli(): string {
  if (process.env.TEST_VERCEL_CLI) return process.env.TEST_VERCEL_CLI;
  const prefix = path.join(ROOT, ".cache", "vercel-cli", VERCEL_CLI_VERSION);
  const cli = path.join(prefix, "node_modules/vercel/dist/vc.js");
  if (existsSync(cli)) return cli;
  mkdirSync(prefix, { recursive: true });
  const npm = spawnSync("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", `vercel@${VERCEL_CLI_VERSION}`], { stdio: "inherit" });
  if (npm.status !== 0 || !existsSync(cli)) throw new Error(`could not install vercel@${VERCEL_CLI_VERSION} into ${prefix} (npm exit ${npm.status})`);
  return cli;
}

export function vercelBuild(): { projectDir: string; outputDir: string } {
  const projectDir = mkdtempSync(path.join(tmpdir(), "avatar-relay-vercel-"));
  cpSync(ROOT, projectDir, { recursive: true, filter: (source) => !NOT_COPIED.has(path.relative(ROOT, source).split(path.sep)[0]!) });
  const modules = realpathSync(path.join(ROOT, "node_modules"));
  // Hard links where the temp folder shares the checkout's file system; a copy where it does not.
  let link = spawnSync("cp", ["-al", modules, path.join(projectDir, "node_modules")], { encoding: "utf8" });
  if (link.status !== 0) {
    rmSync(path.join(projectDir, "node_modules"), { recursive: true, force: true });
    link = spawnSync("cp", ["-a", modules, path.join(projectDir, "node_modules")], { encoding: "utf8" });
  }
  if (link.status !== 0) throw new Error(`could not link or copy node_modules into ${projectDir}: ${link.stderr}`);
  mkdirSync(path.join(projectDir, ".vercel"));
  writeFileSync(path.join(projectDir, ".vercel/project.json"), JSON.stringify(VERCEL_PROJECT));

  // The outer run's VERCEL_* (a CI on Vercel, a developer's shell) and vitest's NODE_ENV=test must not reach the build.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VERCEL") && name !== "NODE_ENV"));
  const cli = vercelCli();
  const result = spawnSync(process.execPath, [cli, "build", "--cwd", projectDir], {
    cwd: projectDir,
    stdio: "inherit",
    env: { ...env, NODE_ENV: "production", VERCEL_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`vercel build failed with exit code ${result.status} (project copy in ${projectDir})`);
  return { projectDir, outputDir: path.join(projectDir, ".vercel/output") };
}
