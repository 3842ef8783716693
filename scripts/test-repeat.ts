/**
 * `npm run test:repeat -- <tier> <times>`: runs one tier again and again, prints its counts per
 * run and how many runs were green, to find tests that fail by chance. Exit 1 when any run failed.
 * The Playwright tiers build in the first run and reuse that build; --rebuild builds every time.
 *
 *   npm run test:repeat -- e2e-cluster 10
 *   npm run test:repeat -- e2e 10 -- e2e/wizard.spec.ts
 */
import { handleSignals, interrupted } from "@/test/harness/runner/child";
import { runTier, type RunContext } from "@/test/harness/runner/run-tier";
import { closingLine, type TierResult } from "@/test/harness/runner/summary";
import { TIERS, tierNamed } from "@/test/harness/runner/tiers";

const argv = process.argv.slice(2);
const split = argv.indexOf("--");
const own = split >= 0 ? argv.slice(0, split) : argv;
const passthrough = split >= 0 ? argv.slice(split + 1) : [];
const rebuild = own.includes("--rebuild");
const [name, timesText] = own.filter((arg) => arg !== "--rebuild");
const tier = name ? tierNamed(name) : undefined;
const times = Number(timesText ?? "");
if (!tier || !Number.isInteger(times) || times < 1) {
  console.error(`usage: npm run test:repeat -- <${TIERS.map((t) => t.name).join("|")}> <times> [--rebuild] [-- runner args]`);
  process.exit(2);
}

handleSignals("test:repeat");
const results: TierResult[] = [];
const context: RunContext = { passthrough, buildAvailable: false };
for (let run = 1; run <= times && !interrupted(); run++) {
  if (rebuild) context.buildAvailable = false;
  console.log(`\n=== ${tier.name} run ${run}/${times}${context.buildAvailable ? " (reusing the build)" : ""} ===`);
  const result = await runTier(tier, context);
  results.push(result);
  console.log(`=== ${tier.name} run ${run}/${times}: ${result.status}, ${closingLine([result])} (${result.seconds.toFixed(0)} s)`);
}

console.log(`\n${tier.name} × ${results.length}:`);
results.forEach((r, i) => {
  console.log(`  run ${i + 1}: ${r.status}, ${closingLine([r])} (${r.seconds.toFixed(0)} s)`);
  for (const title of [...r.counts.failedTitles, ...r.counts.errors, ...(r.status !== "passed" && r.why ? [r.why] : [])]) console.log(`      ${title}`);
});
const green = results.filter((r) => r.status === "passed").length;
console.log(`${green} of ${results.length} runs green`);
process.exit(green === times ? 0 : 1);
