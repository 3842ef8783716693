/**
 * bench/results/latest.md from one run's results (or from latest.json, with `npm run bench -- --render`),
 * one section renderer each in bench/report/, and the summary printed at the end of the run.
 */
import { browserErrorSection, webSections } from "./report/browser";
import { boundSection, concurrencySection } from "./report/concurrency";
import { cpuSection } from "./report/cpu";
import { headerSection } from "./report/header";
import { machineSection } from "./report/machine";
import { peakMemorySection } from "./report/memory";
import { methodSection } from "./report/method";
import { networkErrorSection, networkSection } from "./report/network";
import { readingSection } from "./report/reading";
import type { Results } from "./report/results";
import { summary, targetsSection, verdicts } from "./report/targets";
import { timingSection } from "./report/timing";

export type { Results } from "./report/results";

export function renderReport(results: Results): { markdown: string; summary: string } {
  const verdictList = verdicts(results);
  const lines = [
    ...headerSection(results),
    ...targetsSection(results, verdictList),
    ...machineSection(results),
    ...methodSection(results),
    ...timingSection(results),
    ...cpuSection(results),
    ...peakMemorySection(results),
    ...concurrencySection(results),
    ...boundSection(results),
    ...browserErrorSection(results),
    ...webSections(results),
    ...networkErrorSection(results),
    ...networkSection(results),
    ...readingSection(results),
  ];
  return { markdown: `${lines.join("\n")}\n`, summary: summary(results, verdictList) };
}
