import { describe, expect, it } from "vitest";

import { playwrightCounts, vitestCounts } from "./reports";

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
