import { describe, expect, it } from "vitest";

import { noCounts } from "./reports";
import { closingLine, runPassed, summaryTable, type TierResult } from "./summary";

const result = (tier: string, status: TierResult["status"], counts: Partial<ReturnType<typeof noCounts>> = {}, required = true): TierResult => ({
  tier,
  status,
  required,
  counts: { ...noCounts(), ...counts },
  seconds: 12.4,
  node: "v24.1.0",
});

describe("the run's summary", () => {
  it("sums every tier into the closing line", () => {
    const results = [result("unit", "passed", { passed: 10, skipped: 1 }), result("e2e", "failed", { passed: 3, failed: 2, failedTitles: ["a › b"] })];
    expect(closingLine(results)).toBe("13 passed, 2 failed, 1 skipped");
  });

  it("passes only when every tier passed or did not run without being required", () => {
    expect(runPassed([result("unit", "passed", { passed: 1 })])).toBe(true);
    expect(runPassed([result("unit", "passed", { passed: 1 }), result("conformance", "did not run", {}, false)])).toBe(true);
    expect(runPassed([result("unit", "passed", { passed: 1 }), result("conformance", "did not run", {}, true)])).toBe(false);
    expect(runPassed([result("unit", "passed", { passed: 1 }), result("e2e", "failed")])).toBe(false);
    expect(runPassed([result("e2e", "interrupted", { passed: 4 })])).toBe(false);
    expect(runPassed([])).toBe(false);
  });

  it("prints one aligned row per tier with its counts, seconds and Node version, then what failed", () => {
    const table = summaryTable([
      result("unit", "passed", { passed: 194 }),
      result("conformance", "did not run", {}, false),
      result("e2e-cluster", "failed", { passed: 20, failed: 1, failedTitles: ["lb.spec.ts › retries"] }),
    ]).split("\n");
    expect(table[0]).toMatch(/^tier\s+status\s+tests\s+passed\s+failed\s+skipped\s+seconds\s+node$/);
    expect(table[2]).toMatch(/^unit\s+passed\s+194\s+194\s+0\s+0\s+12\s+v24\.1\.0$/);
    expect(table[3]).toMatch(/^conformance\s+did not run\s+0/);
    expect(table[4]).toMatch(/^e2e-cluster\s+FAILED\s+21\s+20\s+1\s+0/);
    for (const row of table.slice(2, 5)) expect(row.indexOf("v24")).toBe(table[0]!.indexOf("node"));
    expect(table).toContain("  e2e-cluster: failed: lb.spec.ts › retries");
  });

  it("marks a required tier that did not run", () => {
    expect(summaryTable([result("e2e-node22", "did not run", {}, true)])).toContain("DID NOT RUN (required)");
  });
});
