#!/usr/bin/env node
// npm run test:e2e:ceph — the whole Playwright suite (e2e/) with the app on a real S3 instead of the
// embedded s3rver, so what s3rver cannot show (POST policy enforcement, real CORS, a private bucket)
// is proven in the browser too.
//
//   1. E2E_S3_ENDPOINT set       -> run against it (E2E_S3_ACCESS_KEY_ID, E2E_S3_SECRET_ACCESS_KEY, E2E_S3_REGION,
//                                   E2E_S3_BUCKET: see e2e/harness/global-setup.ts)
//   2. else radosgw on PATH      -> start a throw-away Ceph RGW (scripts/s3/ceph.mjs) with a normal 24 h lifecycle
//                                   day, run Playwright against it, and ALWAYS stop it (also on failure or a signal)
//   3. else                      -> print "E2E on Ceph RGW DID NOT RUN: ..." and exit 0,
//                                   or exit 1 when S3_CONFORMANCE_REQUIRED=1 or CI is set (CI must prove it ran)
//
// The production build is reused when .next/BUILD_ID exists (it does not depend on the S3 settings);
// otherwise the harness builds. The app listens on E2E_APP_PORT, else 3100 when free, else any free port.
// Other knobs: S3_CONFORMANCE_CEPH=0 (never use Ceph), RGW_PORT / MON_PORT, S3_CONFORMANCE_KEEP_CEPH=1
// (keep the Ceph folder and logs; a failed run always keeps them). Extra arguments go to `playwright test`.
// Exit code: 0 when at least one test passed and none failed (or case 3 without REQUIRED), 1 otherwise.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import { CephStartError, cephAvailability, choosePort, handleSignals, interrupted, realS3Required, root, run, seconds, startCeph } from "./s3/ceph.mjs";

const LABEL = "E2E on Ceph RGW";
const env = process.env;
const t0 = Date.now();
const say = (line) => console.log(line);
handleSignals(LABEL);

/** Runs `playwright test` with the list and JSON reporters; returns counts taken from the JSON report. */
async function runPlaywright(s3Env) {
  const report = join(mkdtempSync(join(tmpdir(), "e2e-ceph-report-")), "report.json");
  const cli = join(dirname(createRequire(import.meta.url).resolve("@playwright/test/package.json")), "cli.js");
  const appPort = await choosePort(env.E2E_APP_PORT, 3100);
  const reuseBuild = existsSync(join(root, ".next", "BUILD_ID"));
  say(`${LABEL}: ${reuseBuild ? "reusing the production build in .next" : "no production build yet: the harness runs `next build`"}; app on 127.0.0.1:${appPort}`);
  const t = Date.now();
  const { code } = await run(process.execPath, [cli, "test", "--reporter=list,json", ...process.argv.slice(2)], {
    env: {
      ...env,
      ...s3Env,
      E2E_APP_PORT: String(appPort),
      E2E_SKIP_BUILD: env.E2E_SKIP_BUILD ?? (reuseBuild ? "1" : "0"),
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  });
  const counts = { passed: 0, failed: 0, flaky: 0, skipped: 0, errors: 0, skippedTitles: [] };
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, "utf8"));
    counts.passed = json.stats?.expected ?? 0;
    counts.failed = json.stats?.unexpected ?? 0;
    counts.flaky = json.stats?.flaky ?? 0;
    counts.skipped = json.stats?.skipped ?? 0;
    counts.errors = (json.errors ?? []).length; // e.g. the global set-up failed: no test ran
    const walk = (suite, path) => {
      for (const spec of suite.specs ?? []) {
        for (const test of spec.tests ?? []) {
          if (test.status !== "skipped") continue;
          const reason = (test.annotations ?? []).find((a) => a.type === "skip")?.description;
          counts.skippedTitles.push(`${[...path, spec.title].join(" > ")}${reason ? ` (${reason})` : ""}`);
        }
      }
      for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
    };
    for (const suite of json.suites ?? []) walk(suite, [suite.title]);
  }
  rmSync(dirname(report), { recursive: true, force: true });
  return { code, counts, duration: seconds(t) };
}

function summarize(result, against) {
  const { code, counts, duration } = result;
  const tally = `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${counts.flaky ? `, ${counts.flaky} flaky` : ""}`;
  for (const title of counts.skippedTitles) say(`${LABEL}: skipped: ${title}`);
  if (interrupted()) {
    say(`${LABEL}: INTERRUPTED (${interrupted()}) against ${against}: ${tally}`);
    return 1;
  }
  if (code === 0 && counts.passed > 0 && counts.failed === 0 && counts.errors === 0) {
    say(`${LABEL}: Playwright tests against ${against}: ${tally} (${duration})`);
    return 0;
  }
  if (counts.passed + counts.failed === 0) {
    say(`${LABEL}: FAILED: no Playwright test ran against ${against} (playwright exit code ${code}${counts.errors ? `, ${counts.errors} error(s) outside tests` : ""})`);
  } else {
    say(`${LABEL}: FAILED against ${against}: ${tally}${counts.errors ? `, ${counts.errors} error(s) outside tests` : ""} (playwright exit code ${code})`);
  }
  return 1;
}

let cluster; // the Ceph RGW this run started, if any
let failed = false;

async function main() {
  // 1. an S3 given from outside
  if (env.E2E_S3_ENDPOINT?.trim()) {
    say(`${LABEL}: running against E2E_S3_ENDPOINT=${env.E2E_S3_ENDPOINT} instead of Ceph`);
    return summarize(await runPlaywright({}), `${env.E2E_S3_ENDPOINT} (E2E_S3_ENDPOINT)`);
  }

  // 3. nothing to run against
  const ceph = cephAvailability();
  if (!ceph.available) {
    const required = realS3Required();
    say(`${LABEL} DID NOT RUN: no E2E_S3_ENDPOINT and ${ceph.why}${required ? "; this run requires it (CI or S3_CONFORMANCE_REQUIRED=1), so this is a failure" : ""}`);
    return required ? 1 : 0;
  }

  // 2. a throw-away Ceph RGW. A lifecycle "day" stays 24 h: a short one would expire uploads/ mid-wizard.
  try {
    cluster = await startCeph({ lcDaySeconds: 0, label: LABEL, tag: "e2e" });
  } catch (error) {
    if (!(error instanceof CephStartError)) throw error;
    if (!interrupted()) say(`${LABEL}: FAILED: ${error.message}`);
    return 1;
  }
  const s3 = cluster.env;
  const result = await runPlaywright({
    E2E_S3_ENDPOINT: s3.S3_ENDPOINT,
    E2E_S3_ACCESS_KEY_ID: s3.S3_ACCESS_KEY_ID,
    E2E_S3_SECRET_ACCESS_KEY: s3.S3_SECRET_ACCESS_KEY,
    E2E_S3_REGION: s3.S3_REGION,
    E2E_S3_BUCKET: env.E2E_S3_BUCKET || "e2e-avatars",
  });
  const rc = summarize(result, `${cluster.version} at ${s3.S3_ENDPOINT}`);
  failed = rc !== 0 && !interrupted(); // keep the daemon logs of a failed run
  return rc;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(`${LABEL}: FAILED:`, error);
  exitCode = 1;
} finally {
  cluster?.stop({ keep: failed || env.S3_CONFORMANCE_KEEP_CEPH === "1" });
}
console.error(`${LABEL}: total ${seconds(t0)}`);
process.exit(interrupted() && exitCode === 0 ? 1 : exitCode);
