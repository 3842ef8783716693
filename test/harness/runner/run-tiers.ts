/** Runs tiers one after another, then prints the summary table and the closing line. */
import { handleSignals, interrupted } from "./child";
import { noCounts } from "./reports";
import { runTier, type RunContext } from "./run-tier";
import { closingLine, runPassed, summaryTable, type TierResult } from "./summary";
import type { Tier } from "./tiers";

export async function runTiers(tiers: Tier[], options: { passthrough?: string[]; bail?: boolean } = {}): Promise<number> {
  handleSignals("test runner");
  const context: RunContext = { passthrough: options.passthrough ?? [], buildAvailable: false };
  const results: TierResult[] = [];
  for (const tier of tiers) {
    if (interrupted() || (options.bail && !runPassed(results) && results.length > 0)) {
      results.push({ tier: tier.name, status: "did not run", why: interrupted() ? "interrupted" : "--bail after a failure", required: true, counts: noCounts(), seconds: 0, node: "" });
      continue;
    }
    console.log(`\n=== ${tier.name} ===`);
    const result = await runTier(tier, context);
    results.push(result);
    console.log(`=== ${tier.name}: ${result.status}${result.why ? ` (${result.why})` : ""}`);
  }
  console.log(`\n${summaryTable(results)}\n\n${closingLine(results)}`);
  return runPassed(results) ? 0 : 1;
}
