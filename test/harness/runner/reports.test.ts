import { describe, expect, it } from "vitest";

import { failureReason, playwrightCounts, vitestCounts } from "./reports";

describe("counts from the JSON reports", () => {
  it("Playwright: expected passed, skipped skipped, unexpected and flaky failed, errors outside tests kept", () => {
    const counts = playwrightCounts({
      suites: [
        {
          title: "wizard.spec.ts",
          specs: [
            { title: "saves", tests: [{ status: "expected" }] },
            { title: "camera", tests: [{ status: "skipped", annotations: [{ type: "skip", description: "no camera" }] }] },
          ],
          suites: [{ title: "faults", specs: [{ title: "S3 frozen", tests: [{ status: "unexpected" }] }, { title: "retry", tests: [{ status: "flaky" }] }] }],
        },
      ],
      errors: [{ message: "Error: globalSetup failed\n    at ..." }],
    });
    expect(counts).toMatchObject({ passed: 1, skipped: 1, failed: 2, errors: ["Error: globalSetup failed"] });
    expect(counts.skippedTitles).toEqual(["wizard.spec.ts › camera (no camera)"]);
    expect(counts.failedTitles).toEqual(["wizard.spec.ts › faults › S3 frozen", "wizard.spec.ts › faults › retry (flaky: failed, then passed on retry)"]);
  });

  it("a failed test's title carries the start of its error, on one line without colours or stack", () => {
    const message = "\u001b[31mError: 4-crop (desktop): page wider than the viewport\u001b[39m\n\nexpect(received).toBeLessThanOrEqual(expected)\n\nExpected: <= 1280\nReceived: 1295\n    at checkStep (e2e/responsive.spec.ts:40:3)";
    const counts = playwrightCounts({
      suites: [{ title: "responsive.spec.ts", specs: [{ title: "fits", tests: [{ status: "unexpected", results: [{ error: { message } }] }] }] }],
    });
    expect(counts.failedTitles).toEqual([
      "responsive.spec.ts › fits: Error: 4-crop (desktop): page wider than the viewport / expect(received).toBeLessThanOrEqual(expected) / Expected: <= 1280 / Received: 1295",
    ]);
    const vitest = vitestCounts({
      testResults: [{ name: "a.test.ts", status: "failed", assertionResults: [{ status: "failed", fullName: "a", failureMessages: ["AssertionError: expected 2 to be 3\n    at a.test.ts:1:1"] }] }],
    });
    expect(vitest.failedTitles).toEqual(["a.test.ts › a: AssertionError: expected 2 to be 3"]);
    expect(failureReason("x".repeat(1000))).toHaveLength(400);
    expect(failureReason(undefined)).toBe("");
  });

  it("Vitest: a file that failed to load is an error even with no failed test", () => {
    const counts = vitestCounts({
      testResults: [
        { name: "/repo/lib/a.test.ts", status: "passed", assertionResults: [{ status: "passed", fullName: "a" }, { status: "skipped", fullName: "b" }, { status: "todo", fullName: "c" }] },
        { name: "/repo/lib/b.test.ts", status: "failed", message: "Cannot find module x\nstack", assertionResults: [] },
        { name: "/repo/lib/c.test.ts", status: "failed", assertionResults: [{ status: "failed", fullName: "c fails" }] },
      ],
    }, (file) => file.replace("/repo/", ""));
    expect(counts).toMatchObject({ passed: 1, skipped: 2, failed: 1, failedTitles: ["lib/c.test.ts › c fails"], skippedTitles: ["lib/a.test.ts › b", "lib/a.test.ts › c"], errors: ["lib/b.test.ts: Cannot find module x"] });
  });
});
