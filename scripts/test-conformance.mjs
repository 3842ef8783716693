#!/usr/bin/env node
// npm run test:conformance — the S3 conformance suite (test/s3-conformance) against a real S3.
//
//   1. S3_TEST_ENDPOINT set      -> run the suite against it (S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY,
//                                   S3_TEST_REGION, S3_TEST_BUCKET, S3_TEST_FORCE_PATH_STYLE: see test/s3-conformance/support.ts)
//   2. else radosgw on PATH      -> start a throw-away Ceph RGW (scripts/s3/ceph-rgw.sh) in a fresh temporary
//                                   folder, run the suite against it, and ALWAYS stop it (also on failure or a signal)
//   3. else                      -> print "S3 conformance suite DID NOT RUN: ..." and exit 0,
//                                   or exit 1 when S3_CONFORMANCE_REQUIRED=1 or CI is set (CI must prove it ran)
//
// Other knobs: S3_CONFORMANCE_CEPH=0 (never use Ceph, e.g. to see case 3 on a machine that has it),
// RGW_PORT / MON_PORT (default 7480 / 40100 when free, else any free port), RGW_LC_DEBUG_INTERVAL
// (seconds per lifecycle "day", default 3), S3_CONFORMANCE_KEEP_CEPH=1 (keep the Ceph folder and logs).
// Extra arguments are passed to vitest (e.g. a file filter: `npm run test:conformance -- cors`).
// Exit code: 0 when at least one test ran and none failed (or case 3 without REQUIRED), 1 otherwise.
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cephScript = join(root, "scripts", "s3", "ceph-rgw.sh");
const APT_LINE = "apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common";
const env = process.env;
const t0 = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const say = (line) => console.log(line);

let current; // the child process running right now (ceph start or vitest)
let interrupted; // the signal that asked us to stop
let cephDir; // set once Ceph has been (or is being) started: it must be stopped

function onSignal(signal) {
  if (interrupted) {
    // second signal: stop Ceph now and leave
    stopCeph();
    process.exit(128 + (signal === "SIGINT" ? 2 : 15));
  }
  interrupted = signal;
  console.error(`\nS3 conformance: ${signal} received; stopping${cephDir ? " (Ceph RGW will be stopped)" : ""}...`);
  if (current && current.exitCode === null) current.kill(signal === "SIGHUP" ? "SIGTERM" : signal);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => onSignal(signal));

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", options.capture ? "pipe" : "inherit", "inherit"], env: options.env ?? env });
    current = child;
    let stdout = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.on("error", (error) => resolve({ code: 127, stdout, error }));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

function onPath(name) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
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

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function anyFreePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function choosePort(explicit, preferred) {
  if (explicit) return Number(explicit);
  return (await portFree(preferred)) ? preferred : anyFreePort();
}

function stopCeph() {
  if (!cephDir) return;
  const dir = cephDir;
  cephDir = undefined;
  const t = Date.now();
  // throw-away cluster: radosgw with a short lifecycle day can take 4-10 s to exit on SIGTERM; 2 s is enough
  const grace = env.CEPH_STOP_GRACE ?? "2";
  const res = spawnSync("bash", [cephScript, "stop"], { cwd: root, env: { ...env, CEPH_DIR: dir, CEPH_STOP_GRACE: grace }, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const killed = [...(res.stderr ?? "").matchAll(/ceph-rgw\.sh: (\w+) \(pid \d+\) still running/g)].map((m) => m[1]);
  if (res.status !== 0) console.error(`S3 conformance: WARNING: stopping Ceph failed (${res.stderr?.trim()}); folder ${dir}`);
  else console.error(`S3 conformance: Ceph RGW stopped in ${seconds(t)}${killed.length ? ` (${killed.join(", ")} needed SIGKILL after ${grace} s)` : ""}`);
  return dir;
}

function cephVersion() {
  const res = spawnSync("radosgw", ["--version"], { encoding: "utf8" });
  const match = /ceph version (\S+)/.exec(res.stdout ?? "");
  return match ? `Ceph RGW ${match[1]}` : "Ceph RGW";
}

/** Runs vitest's conformance project with a JSON report; returns counts taken from that report. */
async function runSuite(suiteEnv) {
  const report = join(mkdtempSync(join(tmpdir(), "s3-conformance-report-")), "report.json");
  const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
  const args = [vitest, "run", "--project", "conformance", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
  const t = Date.now();
  const { code } = await run(process.execPath, args, {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...suiteEnv },
  });
  let counts = { passed: 0, failed: 0, skipped: 0, total: 0 };
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, "utf8"));
    counts = {
      passed: json.numPassedTests ?? 0,
      failed: json.numFailedTests ?? 0,
      skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
      total: json.numTotalTests ?? 0,
    };
    // a file that failed to load has no failed tests but is a failure
    counts.failedFiles = (json.testResults ?? []).filter((file) => file.status === "failed").length;
  }
  rmSync(dirname(report), { recursive: true, force: true });
  return { code, counts, duration: seconds(t) };
}

function summarize(result, against) {
  const { code, counts, duration } = result;
  const ran = counts.passed + counts.failed;
  const skipped = counts.skipped ? `, ${counts.skipped} skipped` : "";
  if (interrupted) {
    say(`S3 conformance: INTERRUPTED (${interrupted}) against ${against}: ${counts.passed} passed, ${counts.failed} failed${skipped}`);
    return 1;
  }
  if (code === 0 && ran > 0 && counts.failed === 0 && !counts.failedFiles) {
    say(`S3 conformance: ${counts.passed} tests passed${skipped} against ${against} (${duration})`);
    return 0;
  }
  if (ran === 0) {
    say(`S3 conformance: FAILED: no test ran against ${against} (vitest exit code ${code}${skipped})`);
  } else {
    say(`S3 conformance: FAILED against ${against}: ${counts.failed} failed, ${counts.passed} passed${skipped}${counts.failedFiles ? `, ${counts.failedFiles} file(s) failed` : ""} (vitest exit code ${code})`);
  }
  return 1;
}

async function main() {
  // 1. an S3 given from outside
  if (env.S3_TEST_ENDPOINT?.trim()) {
    say(`S3 conformance: running against S3_TEST_ENDPOINT=${env.S3_TEST_ENDPOINT}`);
    return summarize(await runSuite({ ...env }), `${env.S3_TEST_ENDPOINT} (S3_TEST_ENDPOINT)`);
  }

  // 3. nothing to run against
  const cephDisabled = ["0", "false", "no"].includes((env.S3_CONFORMANCE_CEPH ?? "").toLowerCase());
  if (cephDisabled || !onPath("radosgw")) {
    const why = cephDisabled ? "Ceph RGW is disabled (S3_CONFORMANCE_CEPH=0)" : `Ceph RGW is not installed (${APT_LINE})`;
    const required = env.S3_CONFORMANCE_REQUIRED === "1" || ["1", "true"].includes((env.CI ?? "").toLowerCase());
    say(`S3 conformance suite DID NOT RUN: no S3_TEST_ENDPOINT and ${why}${required ? "; this run requires it (CI or S3_CONFORMANCE_REQUIRED=1), so this is a failure" : ""}`);
    return required ? 1 : 0;
  }

  // 2. a throw-away Ceph RGW
  const rgwPort = await choosePort(env.RGW_PORT, 7480);
  const monPort = await choosePort(env.MON_PORT, 40100);
  const lcDay = env.RGW_LC_DEBUG_INTERVAL || "3";
  const version = cephVersion();
  cephDir = mkdtempSync(join(tmpdir(), "avatar-relay-ceph-conformance-"));
  say(`S3 conformance: starting ${version} (RGW 127.0.0.1:${rgwPort}, mon ${monPort}, lifecycle day ${lcDay} s, folder ${cephDir})`);
  const tStart = Date.now();
  const started = await run("bash", [cephScript, "start"], {
    capture: true,
    env: { ...env, CEPH_DIR: cephDir, RGW_PORT: String(rgwPort), MON_PORT: String(monPort), RGW_LC_DEBUG_INTERVAL: lcDay },
  });
  if (interrupted) return 1;
  if (started.code !== 0) {
    say(`S3 conformance: FAILED: Ceph RGW did not start (exit code ${started.code}; logs in ${cephDir}/log)`);
    env.S3_CONFORMANCE_KEEP_CEPH = "1";
    return 1;
  }
  const s3 = Object.fromEntries(
    started.stdout
      .split("\n")
      .map((line) => /^(S3_[A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
  say(`S3 conformance: Ceph RGW up in ${seconds(tStart)} at ${s3.S3_ENDPOINT}`);
  const result = await runSuite({
    ...env,
    S3_TEST_ENDPOINT: s3.S3_ENDPOINT,
    S3_TEST_ACCESS_KEY_ID: s3.S3_ACCESS_KEY_ID,
    S3_TEST_SECRET_ACCESS_KEY: s3.S3_SECRET_ACCESS_KEY,
    S3_TEST_REGION: s3.S3_REGION,
    S3_TEST_FORCE_PATH_STYLE: s3.S3_FORCE_PATH_STYLE,
    S3_TEST_LC_DAY_SECONDS: lcDay,
  });
  const rc = summarize(result, `${version} at ${s3.S3_ENDPOINT}`);
  if (rc !== 0 && !interrupted) env.S3_CONFORMANCE_KEEP_CEPH = "1"; // keep the daemon logs of a failed run
  return rc;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error("S3 conformance: FAILED:", error);
  exitCode = 1;
} finally {
  const dir = stopCeph();
  if (dir) {
    if (env.S3_CONFORMANCE_KEEP_CEPH === "1") console.error(`S3 conformance: Ceph folder kept (logs): ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
console.error(`S3 conformance: total ${seconds(t0)}`);
process.exit(interrupted && exitCode === 0 ? 1 : exitCode);
