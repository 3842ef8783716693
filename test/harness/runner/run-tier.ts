/** Runs one tier as a child process and reads its counts from the runner's JSON report. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { hasBuild } from "../../../tools/build";
import { containerUnavailable } from "../container/base-image";
import { cephAvailability, CephStartError, startCeph, type CephRgw } from "../ceph-rgw";
import { nodeBinary } from "../../../tools/node-binary.mjs";
import { ROOT } from "../../../tools/paths";
import { S3_TARGET_VARIABLES, s3TargetFromEnv } from "../s3-target";

import { interrupted, runChild, type Output } from "./child";
import { noCounts, playwrightCounts, vitestCounts, type Counts } from "./reports";
import type { TierResult } from "./summary";
import type { Tier } from "./tiers";

const CLI = {
  vitest: path.join(ROOT, "node_modules/vitest/vitest.mjs"),
  playwright: path.join(ROOT, "node_modules/@playwright/test/cli.js"),
};

/** CI must prove that the real-S3 and Node 22 tiers ran; elsewhere they may say why they did not. */
export function ciRequires(env: NodeJS.ProcessEnv = process.env): { realS3: boolean; otherNode: boolean; containers: boolean } {
  const ci = ["1", "true"].includes((env.CI ?? "").toLowerCase());
  return { realS3: ci || env.S3_TEST_REQUIRED === "1", otherNode: ci, containers: ci };
}

export type RunContext = {
  /** Extra arguments for the test runner (a file filter, --grep ...). */
  passthrough: string[];
  /** Whether an earlier tier of this run left a production build the Playwright tiers may reuse. */
  buildAvailable: boolean;
  /** Where the tier's output goes (a side lane's buffer); the runner's own stdout and stderr when unset. */
  output?: Output;
};

/** One line of the runner's own about a tier, to where the tier's output goes. */
const say = (context: RunContext, line: string) => (context.output ? context.output(`${line}\n`) : console.log(line));

/** The side lane's Ceph ports: the main lane's Ceph may be starting at the same moment on 7480/40100. */
const SIDE_LANE_CEPH_PORTS = { rgw: 7481, mon: 40101 };

function tierEnv(tier: Tier, context: RunContext, s3?: Record<string, string>): Record<string, string | undefined> {
  // Only a real-S3 tier sees S3_TEST_*: the others run on the embedded S3 whatever the shell has.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !S3_TARGET_VARIABLES.test(key)));
  return {
    ...env,
    ...s3,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...tier.env,
    ...(tier.kind === "playwright" && !tier.ownBuild && context.buildAvailable ? { E2E_SKIP_BUILD: "1" } : {}),
  };
}

async function runCommand(tier: Tier, node: string, env: Record<string, string | undefined>, context: RunContext): Promise<{ code: number; counts: Counts }> {
  const { passthrough, output } = context;
  if (tier.kind === "check") {
    const { code } = await runChild(node, tier.args, { env, output });
    const counts = noCounts();
    if (code === 0) counts.passed = 1;
    else {
      counts.failed = 1;
      counts.failedTitles.push(`${path.basename(tier.args[0]!)} exited with ${code} (see its output above)`);
    }
    return { code, counts };
  }
  const scratch = mkdtempSync(path.join(tmpdir(), `avatar-relay-${tier.name}-report-`));
  const report = path.join(scratch, "report.json");
  const args =
    tier.kind === "vitest"
      ? [CLI.vitest, "run", ...tier.args, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...passthrough]
      : // Each tier its own output folder: two lanes' Playwright runs would clear each other's, and a
        // later tier's would clear an earlier one's traces.
        [CLI.playwright, "test", ...tier.args, "--reporter=list,json", "--output", path.join("test-results", tier.name), ...passthrough];
  try {
    const { code } = await runChild(node, args, { env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: report }, output });
    if (!existsSync(report)) return { code, counts: { ...noCounts(), errors: [`no report: ${tier.kind} exited with ${code} before reporting`] } };
    const parsed: unknown = JSON.parse(readFileSync(report, "utf8"));
    const counts = tier.kind === "vitest" ? vitestCounts(parsed as Parameters<typeof vitestCounts>[0], (file) => path.relative(ROOT, file)) : playwrightCounts(parsed as Parameters<typeof playwrightCounts>[0]);
    return { code, counts };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The S3_TEST_* of a real S3 for this tier: given from outside, or a Ceph RGW started for it. */
async function realS3For(tier: Tier, label: string, context: RunContext): Promise<{ env: Record<string, string>; ceph?: CephRgw; against: string } | { why: string; failed: boolean }> {
  const given = s3TargetFromEnv();
  if (given) {
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => S3_TARGET_VARIABLES.test(e[0]) && e[1] !== undefined));
    return { env, against: `${given.endpoint} (S3_TEST_ENDPOINT)` };
  }
  const ceph = cephAvailability();
  if (!ceph.available) return { why: `no S3_TEST_ENDPOINT and ${ceph.why}`, failed: false };
  try {
    const rgw = await startCeph({
      lcDaySeconds: tier.realS3!.lcDaySeconds,
      label,
      tag: tier.name,
      ...(context.output ? { log: (line: string) => say(context, line) } : {}),
      ...(tier.lane === "side" ? { ports: SIDE_LANE_CEPH_PORTS } : {}),
    });
    const env: Record<string, string> = {
      S3_TEST_ENDPOINT: rgw.s3.S3_ENDPOINT,
      S3_TEST_ACCESS_KEY_ID: rgw.s3.S3_ACCESS_KEY_ID,
      S3_TEST_SECRET_ACCESS_KEY: rgw.s3.S3_SECRET_ACCESS_KEY,
      S3_TEST_REGION: rgw.s3.S3_REGION,
      S3_TEST_FORCE_PATH_STYLE: rgw.s3.S3_FORCE_PATH_STYLE,
      ...(tier.realS3!.lcDaySeconds > 0 ? { S3_TEST_LC_DAY_SECONDS: String(tier.realS3!.lcDaySeconds) } : {}),
    };
    return { env, ceph: rgw, against: `${rgw.version} at ${rgw.s3.S3_ENDPOINT}` };
  } catch (error) {
    if (!(error instanceof CephStartError)) throw error;
    return { why: error.message, failed: true };
  }
}

export async function runTier(tier: Tier, context: RunContext): Promise<TierResult> {
  const started = Date.now();
  const required = ciRequires();
  const base = { tier: tier.name, counts: noCounts(), node: process.version };
  const done = (result: Omit<TierResult, "tier" | "seconds" | "node" | "counts"> & Partial<TierResult>): TierResult => ({ ...base, ...result, seconds: (Date.now() - started) / 1000 });

  let node = process.execPath;
  if (tier.nodeMajor) {
    const found = nodeBinary(tier.nodeMajor);
    if ("why" in found) return done({ status: "did not run", why: found.why, required: required.otherNode, node: `v${tier.nodeMajor}` });
    node = path.join(found.bin, "node");
    base.node = found.version;
  }

  if (tier.containers) {
    const why = containerUnavailable();
    if (why) return done({ status: "did not run", why, required: required.containers });
  }

  let s3: Record<string, string> | undefined;
  let ceph: CephRgw | undefined;
  let against: string | undefined;
  if (tier.realS3) {
    const real = await realS3For(tier, tier.name, context);
    if ("why" in real) return done({ status: real.failed ? "failed" : "did not run", why: real.why, required: real.failed || required.realS3 });
    ({ env: s3, ceph, against } = real);
    say(context, `${tier.name}: against ${against}`);
  }

  let failedRun = false;
  try {
    const { code, counts } = await runCommand(tier, node, tierEnv(tier, context, s3), context);
    const ran = counts.passed + counts.failed;
    if (interrupted()) return done({ status: "interrupted", why: `${interrupted()} received`, required: true, counts });
    if (code === 0 && ran > 0 && counts.failed === 0 && counts.errors.length === 0) {
      if (tier.kind === "playwright") context.buildAvailable = hasBuild();
      return done({ status: "passed", required: true, counts, ...(against ? { why: `against ${against}` } : {}) });
    }
    failedRun = true;
    const why = ran === 0 ? `no test ran (exit code ${code})` : code !== 0 && counts.failed === 0 ? `exit code ${code}` : undefined;
    return done({ status: "failed", required: true, counts, ...(why ? { why } : {}) });
  } finally {
    // A failed run keeps Ceph's daemon logs.
    ceph?.stop({ keep: failedRun || process.env.S3_TEST_KEEP_CEPH === "1" });
  }
}
