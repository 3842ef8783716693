/**
 * A throw-away Ceph RGW (ceph-rgw.sh): a real S3 for the tiers that must prove what the embedded
 * s3rver cannot (POST policy enforcement, real CORS, lifecycle expiry, a private bucket). It is
 * stopped when the run ends, however it ends (runner/child.ts).
 *
 * Env knobs: RGW_PORT / MON_PORT (default 7480 / 40100 when free, else any free port), CEPH_STOP_GRACE
 * (seconds radosgw gets after SIGTERM, default 2 here: the cluster is thrown away).
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { ROOT } from "../../tools/paths";
import { choosePort } from "../../tools/ports";
import { interrupted, onExit, runChild } from "./runner/child";

const CEPH_SCRIPT = path.join(ROOT, "test/harness/ceph-rgw.sh");
export const CEPH_APT_LINE = "apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common";

export const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** The app's S3_* settings of the Ceph S3 user. */
export type CephS3 = { S3_ENDPOINT: string; S3_ACCESS_KEY_ID: string; S3_SECRET_ACCESS_KEY: string; S3_REGION: string; S3_FORCE_PATH_STYLE: string };

export type CephRgw = { dir: string; version: string; s3: CephS3; stop(options?: { keep?: boolean }): void };

export class CephStartError extends Error {
  override name = "CephStartError";
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Whether Ceph RGW can be used here, and if not, why (for a "DID NOT RUN" line). */
export function cephAvailability(): { available: true } | { available: false; why: string } {
  if (["0", "false", "no"].includes((process.env.S3_TEST_CEPH ?? "").toLowerCase())) return { available: false, why: "Ceph RGW is disabled (S3_TEST_CEPH=0)" };
  if (!onPath("radosgw")) return { available: false, why: `Ceph RGW is not installed (${CEPH_APT_LINE})` };
  return { available: true };
}

function cephVersion(): string {
  const result = spawnSync("radosgw", ["--version"], { encoding: "utf8" });
  const match = /ceph version (\S+)/.exec(result.stdout ?? "");
  return match ? `Ceph RGW ${match[1]}` : "Ceph RGW";
}

function parseS3Lines(stdout: string): CephS3 {
  const values = Object.fromEntries(
    stdout
      .split("\n")
      .map((line) => /^(S3_[A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
  const get = (name: keyof CephS3) => {
    const value = values[name];
    if (value === undefined) throw new CephStartError(`ceph-rgw.sh start printed no ${name}`);
    return value;
  };
  return {
    S3_ENDPOINT: get("S3_ENDPOINT"),
    S3_ACCESS_KEY_ID: get("S3_ACCESS_KEY_ID"),
    S3_SECRET_ACCESS_KEY: get("S3_SECRET_ACCESS_KEY"),
    S3_REGION: get("S3_REGION"),
    S3_FORCE_PATH_STYLE: get("S3_FORCE_PATH_STYLE"),
  };
}

/**
 * Starts a throw-away Ceph RGW in a fresh temporary folder. `lcDaySeconds` > 0 shortens a lifecycle
 * "day" to that many seconds (the conformance suite waits for a real expiry); 0 keeps 24 h (the e2e
 * run: a short day would expire uploads in the middle of the wizard). Throws CephStartError (daemon
 * logs kept) when it does not come up.
 */
/**
 * `ports`: the RGW and monitor ports to prefer when free (RGW_PORT / MON_PORT still win): each lane
 * of the test runner prefers its own, so two Cephs starting at the same moment never pick the same.
 */
export async function startCeph(options: { lcDaySeconds: number; label: string; tag: string; log?: (line: string) => void; ports?: { rgw: number; mon: number } }): Promise<CephRgw> {
  const env = process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  const rgwPort = await choosePort(env.RGW_PORT, options.ports?.rgw ?? 7480);
  const monPort = await choosePort(env.MON_PORT, options.ports?.mon ?? 40100);
  const lcDay = String(options.lcDaySeconds);
  const version = cephVersion();
  const dir = mkdtempSync(path.join(tmpdir(), `avatar-relay-ceph-${options.tag}-`));
  let stopped = false;
  const stop = ({ keep = false }: { keep?: boolean } = {}) => {
    if (stopped) return;
    stopped = true;
    removeCleanup();
    const t = Date.now();
    // Throw-away cluster: radosgw with a short lifecycle day can take 4-10 s to exit on SIGTERM; 2 s is enough.
    const grace = env.CEPH_STOP_GRACE ?? "2";
    const result = spawnSync("bash", [CEPH_SCRIPT, "stop"], { cwd: ROOT, env: { ...env, CEPH_DIR: dir, CEPH_STOP_GRACE: grace }, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    const killed = [...(result.stderr ?? "").matchAll(/ceph-rgw\.sh: (\w+) \(pid \d+\) still running/g)].map((m) => m[1]);
    if (result.status !== 0) {
      log(`${options.label}: WARNING: stopping Ceph failed (${result.stderr?.trim()}); folder ${dir}`);
      keep = true;
    } else {
      log(`${options.label}: Ceph RGW stopped in ${seconds(t)}${killed.length ? ` (${killed.join(", ")} needed SIGKILL after ${grace} s)` : ""}`);
    }
    if (keep) log(`${options.label}: Ceph folder kept (logs): ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
  const removeCleanup = onExit(() => stop());

  log(`${options.label}: starting ${version} (RGW 127.0.0.1:${rgwPort}, mon ${monPort}, lifecycle day ${Number(lcDay) > 0 ? `${lcDay} s` : "24 h"}, folder ${dir})`);
  const tStart = Date.now();
  const started = await runChild("bash", [CEPH_SCRIPT, "start"], {
    capture: true,
    output: options.log && ((text) => options.log!(text.trimEnd())),
    env: { ...env, CEPH_DIR: dir, RGW_PORT: String(rgwPort), MON_PORT: String(monPort), RGW_LC_DEBUG_INTERVAL: lcDay },
  });
  if (interrupted()) {
    stop();
    throw new CephStartError(`interrupted (${interrupted()}) while Ceph RGW was starting`);
  }
  if (started.code !== 0) {
    stop({ keep: true });
    throw new CephStartError(`Ceph RGW did not start (exit code ${started.code}; logs in ${dir}/log)`);
  }
  const s3 = parseS3Lines(started.stdout);
  log(`${options.label}: Ceph RGW up in ${seconds(tStart)} at ${s3.S3_ENDPOINT}`);
  return { dir, version, s3, stop };
}
