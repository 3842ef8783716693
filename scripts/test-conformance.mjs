#!/usr/bin/env node
// npm run test:conformance — the S3 conformance suite (test/s3-conformance) against a real S3.
//
//   1. S3_TEST_ENDPOINT set      -> run the suite against it (S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY,
//                                   S3_TEST_REGION, S3_TEST_BUCKET, S3_TEST_FORCE_PATH_STYLE: see test/s3-conformance/support.ts)
//   2. else radosgw on PATH      -> start a throw-away Ceph RGW (scripts/s3/ceph.mjs, scripts/s3/ceph-rgw.sh) in a fresh temporary
//                                   folder, run the suite against it, and ALWAYS stop it (also on failure or a signal)
//   3. else                      -> print "S3 conformance suite DID NOT RUN: ..." and exit 0,
//                                   or exit 1 when S3_CONFORMANCE_REQUIRED=1 or CI is set (CI must prove it ran)
//
// Other knobs: S3_CONFORMANCE_CEPH=0 (never use Ceph, e.g. to see case 3 on a machine that has it),
// RGW_PORT / MON_PORT (default 7480 / 40100 when free, else any free port), RGW_LC_DEBUG_INTERVAL
// (seconds per lifecycle "day", default 3), S3_CONFORMANCE_KEEP_CEPH=1 (keep the Ceph folder and logs).
// Extra arguments are passed to vitest (e.g. a file filter: `npm run test:conformance -- cors`).
// Exit code: 0 when at least one test ran and none failed (or case 3 without REQUIRED), 1 otherwise.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import { CephStartError, cephAvailability, handleSignals, interrupted, realS3Required, run, seconds, startCeph } from "./s3/ceph.mjs";

const env = process.env;
const t0 = Date.now();
const say = (line) => console.log(line);
handleSignals("S3 conformance");

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
  if (interrupted()) {
    say(`S3 conformance: INTERRUPTED (${interrupted()}) against ${against}: ${counts.passed} passed, ${counts.failed} failed${skipped}`);
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

let cluster; // the Ceph RGW this run started, if any

async function main() {
  // 1. an S3 given from outside
  if (env.S3_TEST_ENDPOINT?.trim()) {
    say(`S3 conformance: running against S3_TEST_ENDPOINT=${env.S3_TEST_ENDPOINT}`);
    return summarize(await runSuite({ ...env }), `${env.S3_TEST_ENDPOINT} (S3_TEST_ENDPOINT)`);
  }

  // 3. nothing to run against
  const ceph = cephAvailability();
  if (!ceph.available) {
    const required = realS3Required();
    say(`S3 conformance suite DID NOT RUN: no S3_TEST_ENDPOINT and ${ceph.why}${required ? "; this run requires it (CI or S3_CONFORMANCE_REQUIRED=1), so this is a failure" : ""}`);
    return required ? 1 : 0;
  }

  // 2. a throw-away Ceph RGW (scripts/s3/ceph.mjs stops it on exit and on a signal)
  const lcDay = env.RGW_LC_DEBUG_INTERVAL || "3";
  try {
    cluster = await startCeph({ lcDaySeconds: Number(lcDay), label: "S3 conformance", tag: "conformance" });
  } catch (error) {
    if (!(error instanceof CephStartError)) throw error;
    if (!interrupted()) say(`S3 conformance: FAILED: ${error.message}`);
    return 1;
  }
  const s3 = cluster.env;
  const result = await runSuite({
    ...env,
    S3_TEST_ENDPOINT: s3.S3_ENDPOINT,
    S3_TEST_ACCESS_KEY_ID: s3.S3_ACCESS_KEY_ID,
    S3_TEST_SECRET_ACCESS_KEY: s3.S3_SECRET_ACCESS_KEY,
    S3_TEST_REGION: s3.S3_REGION,
    S3_TEST_FORCE_PATH_STYLE: s3.S3_FORCE_PATH_STYLE,
    S3_TEST_LC_DAY_SECONDS: lcDay,
  });
  const rc = summarize(result, `${cluster.version} at ${s3.S3_ENDPOINT}`);
  if (rc !== 0 && !interrupted()) env.S3_CONFORMANCE_KEEP_CEPH = "1"; // keep the daemon logs of a failed run
  return rc;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error("S3 conformance: FAILED:", error);
  exitCode = 1;
} finally {
  cluster?.stop({ keep: env.S3_CONFORMANCE_KEEP_CEPH === "1" });
}
console.error(`S3 conformance: total ${seconds(t0)}`);
process.exit(interrupted() && exitCode === 0 ? 1 : exitCode);
