/**
 * `npm test`: every tier, one after another, then a summary table and `N passed, N failed, N skipped`
 * (test/harness/runner). Exit 1 when a tier failed, or when a tier CI requires (real S3, Node 22)
 * did not run.
 *
 *   npm test                          # every tier
 *   npm run test:quick                # lint, typecheck, unit: the inner loop
 *   npm test -- e2e e2e-cluster       # some tiers, by name (npm test -- --list names them)
 *   npm test -- --bail                # stop at the first failed tier
 *   npm test -- unit -- lib/env       # arguments after a second `--` go to the test runner
 */
import { runTiers } from "@/test/harness/runner/run-tiers";
import { TIERS, tierNamed, type Tier } from "@/test/harness/runner/tiers";

const argv = process.argv.slice(2);
const split = argv.indexOf("--");
const own = split >= 0 ? argv.slice(0, split) : argv;
const passthrough = split >= 0 ? argv.slice(split + 1) : [];

if (own.includes("--list")) {
  for (const tier of TIERS) console.log(`${tier.name}${tier.quick ? "  (quick)" : ""}`);
  process.exit(0);
}
const names = own.filter((arg) => !arg.startsWith("--"));
const unknown = names.filter((name) => !tierNamed(name));
if (unknown.length > 0) {
  console.error(`test: no tier named ${unknown.join(", ")}; tiers: ${TIERS.map((t) => t.name).join(", ")}`);
  process.exit(2);
}
const tiers: Tier[] = own.includes("--quick") ? TIERS.filter((t) => t.quick) : names.length > 0 ? names.map((name) => tierNamed(name)!) : TIERS;
process.exit(await runTiers(tiers, { passthrough, bail: own.includes("--bail") }));
