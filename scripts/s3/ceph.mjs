// scripts/s3/ceph.mjs — start and stop a throw-away Ceph RGW (scripts/s3/ceph-rgw.sh) from a Node
// script, and run child processes so that a signal stops them and Ceph. Used by
// scripts/test-conformance.mjs and scripts/test-e2e-ceph.mjs; the logic lives only here.
//
//   handleSignals(label)                 SIGINT/SIGTERM/SIGHUP: stop the running child (run()), remember the
//                                        signal (interrupted()); a second signal stops Ceph and exits at once.
//                                        Ceph is also stopped when the process exits any other way.
//   cephAvailability()                   { available, why }: radosgw on PATH and not disabled (S3_CONFORMANCE_CEPH=0)
//   realS3Required(...extraVars)         CI, S3_CONFORMANCE_REQUIRED=1 or any extra variable set to 1
//   startCeph({ lcDaySeconds, label, tag }) -> { env: { S3_ENDPOINT, ... }, version, dir, stop({ keep }) }
//                                        throws CephStartError (daemon logs kept) when Ceph does not come up
//   run(command, args, { env, capture }) -> { code, stdout }
//
// Env knobs: RGW_PORT / MON_PORT (default 7480 / 40100 when free, else any free port), CEPH_STOP_GRACE
// (seconds radosgw gets after SIGTERM, default 2 here: the cluster is thrown away).
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cephScript = join(root, "scripts", "s3", "ceph-rgw.sh");
export const APT_LINE = "apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common";

export const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

let label = "Ceph RGW";
let current; // the child process running right now (ceph start, vitest, playwright)
let interruptedBy; // the signal that asked us to stop
const running = new Set(); // Ceph clusters started and not yet stopped
let handling = false;

/** The signal that interrupted this run, if any. */
export const interrupted = () => interruptedBy;

/** Signals the running child's whole process group (Playwright's workers, browser and `next start` too). */
function signalChild(signal) {
  if (!current || current.exitCode !== null || current.signalCode !== null) return;
  try {
    process.kill(-current.pid, signal);
  } catch {
    current.kill(signal);
  }
}

function onSignal(signal) {
  if (interruptedBy) {
    // second signal: kill the child's group, stop Ceph now and leave
    signalChild("SIGKILL");
    stopAll();
    process.exit(128 + (signal === "SIGINT" ? 2 : 15));
  }
  interruptedBy = signal;
  console.error(`\n${label}: ${signal} received; stopping${running.size ? " (Ceph RGW will be stopped)" : ""}...`);
  signalChild(signal === "SIGHUP" ? "SIGTERM" : signal);
}

function stopAll() {
  for (const cluster of [...running]) cluster.stop();
}

/** Installs the signal handlers (once); `name` prefixes the messages, e.g. "S3 conformance". */
export function handleSignals(name) {
  if (name) label = name;
  if (handling) return;
  handling = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => onSignal(signal));
  // any other way out (process.exit, an uncaught error): stopping is synchronous, so it works here too
  process.on("exit", () => {
    signalChild("SIGTERM");
    stopAll();
  });
}

/**
 * Runs a child process in the project folder; stdout is inherited, or captured with `capture`. The
 * child gets its own process group so that a signal to this script reaches all of its descendants
 * (SIGTERM to Playwright alone would leave its `next start` running); a terminal's Ctrl-C reaches
 * this script, which passes it on.
 */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ["ignore", options.capture ? "pipe" : "inherit", "inherit"],
      env: options.env ?? process.env,
      detached: true,
    });
    current = child;
    let stdout = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.on("error", (error) => resolve({ code: 127, stdout, error }));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** Whether Ceph RGW can be used here, and if not, why (for a "DID NOT RUN" line). */
export function cephAvailability() {
  if (["0", "false", "no"].includes((process.env.S3_CONFORMANCE_CEPH ?? "").toLowerCase())) {
    return { available: false, why: "Ceph RGW is disabled (S3_CONFORMANCE_CEPH=0)" };
  }
  if (!onPath("radosgw")) return { available: false, why: `Ceph RGW is not installed (${APT_LINE})` };
  return { available: true, why: "" };
}

/** A run that must prove it ran on real S3: CI, S3_CONFORMANCE_REQUIRED=1, or one of `extra` set to 1. */
export function realS3Required(...extra) {
  const env = process.env;
  return ["S3_CONFORMANCE_REQUIRED", ...extra].some((name) => env[name] === "1") || ["1", "true"].includes((env.CI ?? "").toLowerCase());
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export async function anyFreePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `explicit` when given, else `preferred` when free, else any free port. */
export async function choosePort(explicit, preferred) {
  if (explicit) return Number(explicit);
  return (await portFree(preferred)) ? preferred : anyFreePort();
}

function cephVersion() {
  const res = spawnSync("radosgw", ["--version"], { encoding: "utf8" });
  const match = /ceph version (\S+)/.exec(res.stdout ?? "");
  return match ? `Ceph RGW ${match[1]}` : "Ceph RGW";
}

export class CephStartError extends Error {
  name = "CephStartError";
}

/**
 * Starts a throw-away Ceph RGW in a fresh temporary folder. `lcDaySeconds` > 0 shortens a lifecycle
 * "day" to that many seconds (the conformance suite waits for a real expiry); 0 keeps 24 h (the e2e
 * run: a short day would expire uploads in the middle of the wizard). Returns the S3_* settings of
 * its S3 user and `stop({ keep })`, which is also called on a signal or at exit.
 */
export async function startCeph({ lcDaySeconds = 0, label: name, tag = "run" } = {}) {
  handleSignals(name);
  const env = process.env;
  const rgwPort = await choosePort(env.RGW_PORT, 7480);
  const monPort = await choosePort(env.MON_PORT, 40100);
  const lcDay = String(lcDaySeconds ?? 0);
  const version = cephVersion();
  const dir = mkdtempSync(join(tmpdir(), `avatar-relay-ceph-${tag}-`));
  let stopped = false;
  const cluster = {
    dir,
    version,
    env: {},
    /** Stops the daemons (idempotent); removes the folder unless `keep` (then prints where the logs are). */
    stop({ keep = false } = {}) {
      if (stopped) return;
      stopped = true;
      running.delete(cluster);
      const t = Date.now();
      // throw-away cluster: radosgw with a short lifecycle day can take 4-10 s to exit on SIGTERM; 2 s is enough
      const grace = env.CEPH_STOP_GRACE ?? "2";
      const res = spawnSync("bash", [cephScript, "stop"], { cwd: root, env: { ...env, CEPH_DIR: dir, CEPH_STOP_GRACE: grace }, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
      const killed = [...(res.stderr ?? "").matchAll(/ceph-rgw\.sh: (\w+) \(pid \d+\) still running/g)].map((m) => m[1]);
      if (res.status !== 0) {
        console.error(`${label}: WARNING: stopping Ceph failed (${res.stderr?.trim()}); folder ${dir}`);
        keep = true;
      } else {
        console.error(`${label}: Ceph RGW stopped in ${seconds(t)}${killed.length ? ` (${killed.join(", ")} needed SIGKILL after ${grace} s)` : ""}`);
      }
      if (keep) console.error(`${label}: Ceph folder kept (logs): ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(cluster);

  console.log(`${label}: starting ${version} (RGW 127.0.0.1:${rgwPort}, mon ${monPort}, lifecycle day ${Number(lcDay) > 0 ? `${lcDay} s` : "24 h"}, folder ${dir})`);
  const tStart = Date.now();
  const started = await run("bash", [cephScript, "start"], {
    capture: true,
    env: { ...env, CEPH_DIR: dir, RGW_PORT: String(rgwPort), MON_PORT: String(monPort), RGW_LC_DEBUG_INTERVAL: lcDay },
  });
  if (interruptedBy) {
    cluster.stop();
    throw new CephStartError(`interrupted (${interruptedBy}) while Ceph RGW was starting`);
  }
  if (started.code !== 0) {
    cluster.stop({ keep: true });
    throw new CephStartError(`Ceph RGW did not start (exit code ${started.code}; logs in ${dir}/log)`);
  }
  cluster.env = Object.fromEntries(
    started.stdout
      .split("\n")
      .map((line) => /^(S3_[A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
  console.log(`${label}: Ceph RGW up in ${seconds(tStart)} at ${cluster.env.S3_ENDPOINT}`);
  return cluster;
}
