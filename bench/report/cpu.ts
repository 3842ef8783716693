/**
 * The "CPU per operation" section: what the app's process spends per crop + save and per finish
 * step, beside its in-memory floor's CPU in the same run, and the S3 server's CPU beside (not
 * counted: a real S3 does that work on other machines, the embedded one shares these cores).
 */
import { finishUpload } from "@/lib/avatars/finish-upload";

import { BOXES, type BoxKind } from "../crop-boxes";
import { CALLS_PER_CROP_AND_SAVE, type RequestCall } from "../request-costs";
import { formatBytes, formatMs, formatRatio, median } from "../stats";
import type { CpuSamples } from "../timed";
import type { Way } from "../ways";
import { section } from "./markdown";
import { inputLabel, type Results } from "./results";

export type CpuSide = keyof CpuSamples;

const cpuMedian = (samples: CpuSamples | undefined, side: CpuSide) => median(samples?.[side] ?? []);

/** Median CPU ms of one way on one case: the app's process ("app") or the S3 server's ("s3"). */
export function caseCpu(results: Results, input: string, box: BoxKind, way: Way, side: CpuSide = "app"): number {
  return cpuMedian(results.timing.cropCpu?.[`${input}/${box}`]?.[way], side);
}

export function caseCpuRatio(results: Results, input: string, box: BoxKind, numerator: Way, denominator: Way): number {
  return caseCpu(results, input, box, numerator) / caseCpu(results, input, box, denominator);
}

/** Median CPU ms of finishUpload ("finish") or of its in-memory floor ("floor") on one input. */
export function finishCpu(results: Results, input: string, step: "finish" | "floor", side: CpuSide = "app"): number {
  return cpuMedian(step === "finish" ? results.timing.finishCpu?.[input] : results.timing.finishFloorCpu?.[input], side);
}

export const finishCpuRatio = (results: Results, input: string) => finishCpu(results, input, "finish") / finishCpu(results, input, "floor");

const ms = (value: number): string => (Number.isFinite(value) ? `${formatMs(value)} ms` : "–");

const CALL_LABELS: Record<RequestCall, string> = {
  getOriginal: "GET of the original (the SDK, into a reused buffer)",
  plainGetOriginal: "the same GET with Node's http.get, no SDK (reference)",
  head: "HEAD",
  list: "LIST (a few keys)",
  putSmall: "PUT",
  copy: "COPY",
  deleteMany: "DeleteObjects",
  presign: "presigned GET URL (no request)",
};

/** Each S3 call's CPU alone, times how many a crop + save makes, beside the measured app − floor. */
function requestCostsBlocks(results: Results): string[][] | [] {
  const costs = results.requestCosts;
  if (!costs) return [];
  const cost = (call: RequestCall) => median(costs.samples[call]);
  const calls = Object.entries(CALLS_PER_CROP_AND_SAVE) as [Exclude<RequestCall, "plainGetOriginal">, number][];
  const sum = calls.reduce((total, [call, count]) => total + cost(call) * count, 0);
  const overhead = BOXES.map((box) => `${box} box ${ms(caseCpu(results, costs.input, box, "app") - caseCpu(results, costs.input, box, "floor"))}`).join(", ");
  return [
    [
      `Where the app's CPU beyond its floor goes (${inputLabel(results, costs.input)}): each kind of S3 call a crop + save makes, alone, against the same S3 in the same run (${costs.samples.head.length} of each, medians; the original is ${formatBytes(costs.originalBytes)}, the PUT ${formatBytes(costs.smallBytes)}). The garbage collector's share is in the calls that allocate.`,
    ],
    [
      "| S3 call | CPU per call | per crop + save | CPU per crop + save |",
      "|---|---:|---:|---:|",
      ...calls.map(([call, count]) => `| ${CALL_LABELS[call]} | ${ms(cost(call))} | ${count} | ${ms(cost(call) * count)} |`),
      `| ${CALL_LABELS.plainGetOriginal} | ${ms(cost("plainGetOriginal"))} | – | – |`,
      `| **sum** | | | **${ms(sum)}** |`,
    ],
    [`Measured app − floor in the timed runs: ${overhead}. The SDK's GET against Node's own http.get of the same bytes: ${formatRatio(cost("getOriginal") / cost("plainGetOriginal"))}.`],
  ];
}

export function cpuSection(results: Results): string[] {
  if (!results.timing.cropCpu) return [];
  return section(
    "CPU per operation (ms, median)",
    "CPU time (user + system) of the process running the app's code, libvips threads included (`process.cpuUsage()`), per operation of the timed runs above; for the app, up to the end of the cleanup it leaves for after its answer, since the app does that work too. The S3 server's CPU (from `/proc`, 10 ms ticks) is beside it, not counted: a real S3 does it on other machines, while here it shares the two cores and makes the app's wall-clock times longer than they would be.",
    [
      "| case | app | floor (in memory) | app / floor (CPU) | S3 server, per app operation | app / floor (wall clock) |",
      "|---|---:|---:|---:|---:|---:|",
      ...results.inputs.flatMap((input) =>
        BOXES.map((box) => {
          const wall = median(results.timing.crop[`${input.id}/${box}`]?.app ?? []) / median(results.timing.crop[`${input.id}/${box}`]?.floor ?? []);
          return `| ${input.label}, ${box} box | ${ms(caseCpu(results, input.id, box, "app"))} | ${ms(caseCpu(results, input.id, box, "floor"))} | ${formatRatio(caseCpuRatio(results, input.id, box, "app", "floor"))} | ${ms(caseCpu(results, input.id, box, "app", "s3"))} | ${formatRatio(wall)} |`;
        }),
      ),
    ],
    results.timing.finishCpu &&
      `Step 1's server side, \`${finishUpload.name}\`, beside its floor: the same image work, check, preview and the suggested crop's analysis of it (\`inspectImage\`, \`makePreview\`, \`attentionSquare\`), on bytes in memory, timed in the same iterations (the two in turn first).`,
    results.timing.finishCpu && [
      "| input | finishUpload CPU | floor CPU | finish / floor (CPU) | S3 server, per finish | finishUpload time | floor time |",
      "|---|---:|---:|---:|---:|---:|---:|",
      ...results.inputs.map(
        (input) =>
          `| ${input.label} | ${ms(finishCpu(results, input.id, "finish"))} | ${ms(finishCpu(results, input.id, "floor"))} | ${formatRatio(finishCpuRatio(results, input.id))} | ${ms(finishCpu(results, input.id, "finish", "s3"))} | ${ms(median(results.timing.finish[input.id] ?? []))} | ${ms(median(results.timing.finishFloor?.[input.id] ?? []))} |`,
      ),
    ],
    ...requestCostsBlocks(results),
  );
}
