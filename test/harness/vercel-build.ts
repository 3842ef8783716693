/**
 * `vercel build` (Vercel's own builder, the CLI pinned in devDependencies) on a throw-away copy of
 * the project, offline: a `.vercel/project.json` written here stands in for `vercel pull`, so no
 * account, token or network is needed. A copy, so the run's own `.next` (which other tiers reuse)
 * is left alone; node_modules is hard-linked, not symlinked, because Turbopack refuses a
 * node_modules that points outside the project.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { ROOT } from "./paths";

const NOT_COPIED = new Set(["node_modules", ".next", ".git", ".vercel", ".data", "test-results", "playwright-report", "blob-report", "coverage"]);

/** What `vercel pull` would have written: a linked project's settings (the ids are placeholders). */
export const VERCEL_PROJECT = {
  projectId: "prj_avatarrelaytest",
  orgId: "team_avatarrelaytest",
  // installCommand "": dependencies are already there; nodeVersion: what the functions run on.
  settings: { framework: "nextjs", nodeVersion: "24.x", installCommand: "", buildCommand: null, outputDirectory: null, rootDirectory: null, devCommand: null },
};

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
  // TEST_VERCEL_CLI: a vc.js installed elsewhere (a checkout whose node_modules lacks the devDependency).
  const cli = process.env.TEST_VERCEL_CLI ?? path.join(ROOT, "node_modules/vercel/dist/vc.js");
  const result = spawnSync(process.execPath, [cli, "build", "--cwd", projectDir], {
    cwd: projectDir,
    stdio: "inherit",
    env: { ...env, NODE_ENV: "production", VERCEL_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`vercel build failed with exit code ${result.status} (project copy in ${projectDir})`);
  return { projectDir, outputDir: path.join(projectDir, ".vercel/output") };
}
