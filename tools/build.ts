/**
 * The production build, made once per run, and the standalone artifact staged from it: the exact
 * tree a container image holds (the Dockerfile stages it with this function too).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { NEXT_BIN, ROOT } from "./paths";

export function hasBuild(): boolean {
  return existsSync(path.join(ROOT, ".next/BUILD_ID")) && existsSync(path.join(ROOT, ".next/standalone/server.js"));
}

/** `next build` (output: "standalone"), unless skip is set and a build exists. Returns whether it built. */
export function buildOnce(options: { skip: boolean; env?: NodeJS.ProcessEnv }): boolean {
  if (options.skip && hasBuild()) return false;
  const result = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...(options.env ?? process.env), NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed with exit code ${result.status}`);
  if (!hasBuild()) throw new Error(".next/standalone/server.js is missing after the build: is output: \"standalone\" still in next.config.mjs?");
  return true;
}

/**
 * Copies the standalone output, then .next/static and public into it: what the Dockerfile's
 * runtime stage holds. A copy (not .next/standalone itself) so a rebuild in the working tree
 * while the cluster runs does not change the files under running instances.
 */
export function stageArtifact(target?: string): { dir: string; buildId: string } {
  const dir = target ?? mkdtempSync(path.join(tmpdir(), "avatar-relay-artifact-"));
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(ROOT, ".next/standalone"), dir, { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(ROOT, ".next/static"), path.join(dir, ".next/static"), { recursive: true });
  if (existsSync(path.join(ROOT, "public"))) cpSync(path.join(ROOT, "public"), path.join(dir, "public"), { recursive: true });
  chmodSync(dir, 0o755);
  if (!existsSync(path.join(dir, "server.js"))) throw new Error(`${dir}/server.js is missing`);
  return { dir, buildId: readFileSync(path.join(dir, ".next/BUILD_ID"), "utf8").trim() };
}
