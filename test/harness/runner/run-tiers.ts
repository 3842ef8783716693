/**
 * Runs the tiers in two lanes at once, each lane one tier after another: the main lane (the browser
 * tiers, one app on its ports at a time) streams its output; the side lane (tiers that take none
 * of those ports and leave .next alone: vitest projects, Vercel's builder, the container tier on
 * ports of its own) keeps each tier's output and prints it whole when the tier ends. Then the summary table, in the order of TIERS, and the closing line.
 * Why two lanes and not more: docs/decisions/ci-lanes.md.
 */
import { handleSignals, interrupted } from "./child";
import { noCounts } from "./reports";
import { runTier, type RunContext } from "./run-tier";
import { closingLine, runPassed, summaryTable, type TierResult } from "./summary";
import type { Tier } from "./tiers";

export async function runTiers(tiers: Tier[], options: { passthrough?: string[]; bail?: boolean } = {}): Promise<number> {
  handleSignals("test runner");
  const started = Date.now();
  const results = new Map<Tier, TierResult>();
  const stopped = () => interrupted() ?? (options.bail && results.size > 0 && !runPassed([...results.values()]) ? "--bail after a failure" : undefined);

  const main = tiers.filter((tier) => tier.lane !== "side");
  const side = tiers.filter((tier) => tier.lane === "side");
  // Alone, a side tier streams like any other.
  const buffered = main.length > 0 && side.length > 0;

  async function runLane(lane: Tier[], keepOutput: boolean): Promise<void> {
    const context: RunContext = { passthrough: options.passthrough ?? [], buildAvailable: false };
    for (const tier of lane) {
      const why = stopped();
      if (why) {
        results.set(tier, { tier: tier.name, status: "did not run", why: interrupted() ? "interrupted" : why, required: true, counts: noCounts(), seconds: 0, node: "" });
        continue;
      }
      let text = "";
      if (keepOutput) context.output = (chunk) => (text += chunk);
      else console.log(`\n=== ${tier.name} ===`);
      const result = await runTier(tier, context);
      results.set(tier, result);
      if (keepOutput) process.stdout.write(`\n=== ${tier.name} (side lane: its whole output, as it ran beside the main lane) ===\n${text}`);
      console.log(`=== ${tier.name}: ${result.status}${result.why ? ` (${result.why})` : ""}`);
    }
  }
  await Promise.all([runLane(main, false), runLane(side, buffered)]);

  const ordered = tiers.map((tier) => results.get(tier)!);
  const lanes = buffered ? ` in two lanes (side lane: ${side.map((t) => t.name).join(", ")})` : "";
  console.log(`\n${summaryTable(ordered)}\n\nwall time ${((Date.now() - started) / 1000).toFixed(0)} s${lanes}\n${closingLine(ordered)}`);
  return runPassed(ordered) ? 0 : 1;
}
