/** The table `npm test` ends with, and its closing line (pure: unit-tested in summary.test.ts). */
import type { Counts } from "./reports";

export type TierStatus = "passed" | "failed" | "did not run" | "interrupted";

export type TierResult = {
  tier: string;
  status: TierStatus;
  /** Why it failed or did not run, in one line. */
  why?: string;
  /** A tier that did not run is a failure of the whole run when it was required (CI, or asked for). */
  required: boolean;
  counts: Counts;
  seconds: number;
  node: string;
};

/** Whether the run as a whole passed: every tier passed, or did not run without being required. */
export function runPassed(results: TierResult[]): boolean {
  return results.length > 0 && results.every((r) => r.status === "passed" || (r.status === "did not run" && !r.required));
}

export function closingLine(results: TierResult[]): string {
  const sum = (key: "passed" | "failed" | "skipped") => results.reduce((total, r) => total + r.counts[key], 0);
  return `${sum("passed")} passed, ${sum("failed")} failed, ${sum("skipped")} skipped`;
}

function statusText(result: TierResult): string {
  if (result.status === "did not run") return result.required ? "DID NOT RUN (required)" : "did not run";
  return result.status === "passed" ? "passed" : result.status.toUpperCase();
}

export function summaryTable(results: TierResult[]): string {
  const header = ["tier", "status", "tests", "passed", "failed", "skipped", "seconds", "node"];
  const rows = results.map((r) => [
    r.tier,
    statusText(r),
    String(r.counts.passed + r.counts.failed + r.counts.skipped),
    String(r.counts.passed),
    String(r.counts.failed),
    String(r.counts.skipped),
    r.seconds.toFixed(0),
    r.node,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  // Text columns to the left, numbers to the right.
  const cell = (text: string, column: number) => (column < 2 || column === 7 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!));
  const line = (row: string[]) => row.map(cell).join("  ").trimEnd();
  const notes = results.flatMap((r) => [
    ...(r.why ? [`  ${r.tier}: ${r.why}`] : []),
    ...r.counts.errors.map((error) => `  ${r.tier}: ${error}`),
    ...r.counts.failedTitles.map((title) => `  ${r.tier}: failed: ${title}`),
    ...r.counts.skippedTitles.map((title) => `  ${r.tier}: skipped: ${title}`),
  ]);
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), ...(notes.length ? ["", ...notes] : [])].join("\n");
}
