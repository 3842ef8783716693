/** Counts read from the test runners' JSON reports (pure: unit-tested in reports.test.ts). */
import { stripVTControlCharacters } from "node:util";

export type Counts = { passed: number; failed: number; skipped: number; failedTitles: string[]; skippedTitles: string[]; errors: string[] };

export const noCounts = (): Counts => ({ passed: 0, failed: 0, skipped: 0, failedTitles: [], skippedTitles: [], errors: [] });

type PlaywrightTest = {
  status: string;
  annotations?: { type: string; description?: string }[];
  results?: { error?: { message?: string }; errors?: { message?: string }[] }[];
};
type PlaywrightSuite = { title?: string; specs?: { title: string; tests: PlaywrightTest[] }[]; suites?: PlaywrightSuite[] };
type PlaywrightReport = { suites?: PlaywrightSuite[]; errors?: { message?: string }[] };

const REASON_LIMIT = 400;

/**
 * The start of a failure's message on one line (colours stripped), so the summary at the end of
 * a long run (all CI shows of it) says why a test failed, not only which.
 */
export function failureReason(message: string | undefined): string {
  const lines = stripVTControlCharacters(message ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("at "));
  const text = lines.slice(0, 6).join(" / ");
  return text.length > REASON_LIMIT ? `${text.slice(0, REASON_LIMIT - 1)}…` : text;
}

const withReason = (title: string, message: string | undefined) => {
  const reason = failureReason(message);
  return reason ? `${title}: ${reason}` : title;
};

/** Playwright's JSON reporter: "expected" passed, "skipped" skipped; anything else (unexpected, flaky) failed. */
export function playwrightCounts(report: PlaywrightReport): Counts {
  const counts = noCounts();
  const walk = (suite: PlaywrightSuite, where: string) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status === "expected") counts.passed++;
        else if (test.status === "skipped") {
          counts.skipped++;
          const reason = test.annotations?.find((annotation) => annotation.type === "skip")?.description;
          counts.skippedTitles.push(`${where} › ${spec.title}${reason ? ` (${reason})` : ""}`);
        } else {
          counts.failed++;
          const title = `${where} › ${spec.title}${test.status === "flaky" ? " (flaky: failed, then passed on retry)" : ""}`;
          const failure = test.results?.find((result) => result.error || result.errors?.length);
          counts.failedTitles.push(withReason(title, failure?.error?.message ?? failure?.errors?.[0]?.message));
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child, child.title ? `${where}${where ? " › " : ""}${child.title}` : where);
  };
  for (const suite of report.suites ?? []) walk(suite, suite.title ?? "");
  // Errors outside any test: the global set-up failed, a file did not load.
  counts.errors = (report.errors ?? []).map((error) => (error.message ?? "an error outside the tests").split("\n")[0]!);
  return counts;
}

type VitestReport = {
  testResults?: { name: string; status?: string; message?: string; assertionResults: { status: string; fullName: string; failureMessages?: string[] }[] }[];
};

/** Vitest's JSON reporter; a file that failed to load counts as an error even with no failed test. */
export function vitestCounts(report: VitestReport, relative: (file: string) => string = (file) => file): Counts {
  const counts = noCounts();
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults) {
      if (test.status === "passed") counts.passed++;
      else if (test.status === "failed") {
        counts.failed++;
        counts.failedTitles.push(withReason(`${relative(file.name)} › ${test.fullName}`, test.failureMessages?.[0]));
      } else {
        counts.skipped++;
        counts.skippedTitles.push(`${relative(file.name)} › ${test.fullName}`);
      }
    }
    if (file.status === "failed" && !file.assertionResults.some((test) => test.status === "failed")) {
      counts.errors.push(`${relative(file.name)}: ${(file.message ?? "failed to run").split("\n")[0]}`);
    }
  }
  return counts;
}
