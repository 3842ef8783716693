/**
 * `npm run test:repeat -- <tier> <times>`: runs one test tier again and again and prints
 * "N passed, N failed" per run, then a summary, to find tests that fail by chance. Exit 1 when any
 * run failed. The e2e tiers build once (the first run) and reuse that build afterwards; pass
 * --rebuild to build before every run. Extra arguments after `--` go to the test runner.
 *
 *   npm run test:repeat -- cluster 10
 *   npm run test:repeat -- e2e 10 -- e2e/wizard.spec.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

type Counts = { passed: number; failed: number; skipped: number; failedTitles: string[] };
type Tier = { runner: "vitest" | "playwright"; args: string[]; build: boolean };

const TIERS: Record<string, Tier> = {
  unit: { runner: "vitest", args: ["--project", "unit"], build: false },
  integration: { runner: "vitest", args: ["--project", "integration"], build: false },
  e2e: { runner: "playwright", args: [], build: true },
  oidc: { runner: "playwright", args: ["-c", "playwright.oidc.config.ts"], build: true },
  cluster: { runner: "playwright", args: ["-c", "playwright.cluster.config.ts"], build: true },
};

function usage(message: string): never {
  console.error(`test:repeat: ${message}\nusage: npm run test:repeat -- <${Object.keys(TIERS).join("|")}> <times> [--rebuild] [-- runner args]`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const dashdash = argv.indexOf("--");
const own = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
const passthrough = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
const rebuild = own.includes("--rebuild");
const [tierName, timesText] = own.filter((arg) => arg !== "--rebuild");
const tier = tierName ? TIERS[tierName] : undefined;
if (!tier) usage(`unknown tier ${JSON.stringify(tierName ?? "")}`);
const times = Number(timesText ?? "");
if (!Number.isInteger(times) || times < 1) usage(`times must be a positive integer, not ${JSON.stringify(timesText ?? "")}`);

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = { vitest: path.join(ROOT, "node_modules/vitest/vitest.mjs"), playwright: path.join(ROOT, "node_modules/@playwright/test/cli.js") };

type JsonSuite = { specs?: { title: string; tests: { status: string }[] }[]; suites?: JsonSuite[]; title?: string };

function playwrightCounts(report: { suites?: JsonSuite[] }): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, failedTitles: [] };
  const walk = (suite: JsonSuite, where: string) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status === "expected" || test.status === "flaky") counts.passed++;
        else if (test.status === "skipped") counts.skipped++;
        else {
          counts.failed++;
          counts.failedTitles.push(`${where} › ${spec.title}`);
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child, child.title ? `${where}${where ? " › " : ""}${child.title}` : where);
  };
  for (const suite of report.suites ?? []) walk(suite, suite.title ?? "");
  return counts;
}

type VitestReport = { testResults?: { name: string; assertionResults: { status: string; fullName: string }[] }[]; numFailedTestSuites?: number };

function vitestCounts(report: VitestReport): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, failedTitles: [] };
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults) {
      if (test.status === "passed") counts.passed++;
      else if (test.status === "failed") {
        counts.failed++;
        counts.failedTitles.push(`${path.relative(ROOT, file.name)} › ${test.fullName}`);
      }
      else counts.skipped++;
    }
  }
  return counts;
}

const scratch = mkdtempSync(path.join(tmpdir(), "avatar-relay-repeat-"));
const results: (Counts & { exit: number; seconds: number })[] = [];
for (let run = 1; run <= times; run++) {
  const report = path.join(scratch, `run-${run}.json`);
  const skipBuild = tier.build && !rebuild && run > 1;
  const args =
    tier.runner === "vitest"
      ? [BIN.vitest, "run", ...tier.args, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...passthrough]
      : [BIN.playwright, "test", ...tier.args, "--reporter=list,json", ...passthrough];
  console.log(`\n=== ${tierName} run ${run}/${times}${skipBuild ? " (reusing the build of run 1)" : ""} ===`);
  const started = Date.now();
  const child = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report, ...(skipBuild ? { E2E_SKIP_BUILD: "1" } : {}) },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const exit = child.status ?? 1;
  let counts: Counts = { passed: 0, failed: 0, skipped: 0, failedTitles: [] };
  if (existsSync(report)) {
    const parsed: unknown = JSON.parse(readFileSync(report, "utf8"));
    counts = tier.runner === "vitest" ? vitestCounts(parsed as VitestReport) : playwrightCounts(parsed as { suites?: JsonSuite[] });
  }
  // A run that died before reporting (a global setup error) is a failure even with nothing counted.
  if (exit !== 0 && counts.failed === 0) counts = { ...counts, failed: 1, failedTitles: [`the runner exited with ${exit} (see its output above)`] };
  results.push({ ...counts, exit, seconds });
  console.log(`=== ${tierName} run ${run}/${times}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""} (${seconds} s)`);
  for (const title of counts.failedTitles) console.log(`    failed: ${title}`);
}
rmSync(scratch, { recursive: true, force: true });

console.log(`\n${tierName} × ${times}:`);
results.forEach((r, i) => console.log(`  run ${i + 1}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""} (${r.seconds} s)`));
const red = results.filter((r) => r.failed > 0 || r.exit !== 0).length;
console.log(`${times - red} of ${times} runs green`);
process.exit(red > 0 ? 1 : 0);
