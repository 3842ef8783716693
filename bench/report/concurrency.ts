/** The sections on one instance under load: concurrent crops by level, and the memory bound with the largest pictures. */
import { CONCURRENCY_BOX } from "../crop-boxes";
import type { ConcurrencyResult } from "../probe";
import { formatMiB, formatMs, formatRatio, median } from "../stats";
import { RENDITION_COUNT } from "./method";
import { section, spelled } from "./markdown";
import { inputLabel, type Results } from "./results";

export type Level = {
  workers: number;
  rounds: number;
  operations: number;
  completed: number;
  rejected429: number;
  perSecond: number;
  perSecondRange: [number, number];
  latencyMedianMs: number;
  latencyP95Ms: number;
  peakRss: number;
  appCpuPerCropMs: number;
  s3CpuPerCropMs: number;
  busyCores: number;
  jobsMax: number;
  queueMax: number;
};

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The concurrency runs by level: median throughput over the rounds, the highest peak RSS. */
export function concurrencyLevels(runs: readonly ConcurrencyResult[]): Level[] {
  const byWorkers = new Map<number, ConcurrencyResult[]>();
  for (const run of runs) byWorkers.set(run.workers, [...(byWorkers.get(run.workers) ?? []), run]);
  return [...byWorkers.entries()]
    .sort(([a], [b]) => a - b)
    .map(([workers, runs]) => {
      const rates = runs.map((r) => r.perSecond);
      const completed = sum(runs.map((r) => r.completed));
      const appCpuMs = sum(runs.map((r) => r.appCpuMs ?? NaN));
      const s3CpuMs = sum(runs.map((r) => r.s3CpuMs ?? NaN));
      return {
        workers,
        rounds: runs.length,
        operations: sum(runs.map((r) => r.operations)),
        completed,
        rejected429: sum(runs.map((r) => r.rejected429)),
        perSecond: median(rates),
        perSecondRange: [Math.min(...rates), Math.max(...rates)],
        latencyMedianMs: median(runs.map((r) => r.latencyMedianMs)),
        latencyP95Ms: Math.max(...runs.map((r) => r.latencyP95Ms)),
        peakRss: Math.max(...runs.map((r) => r.peakRss)),
        // CPU per completed crop, and cores kept busy (app + S3 CPU over wall time), over all rounds.
        appCpuPerCropMs: appCpuMs / completed,
        s3CpuPerCropMs: s3CpuMs / completed,
        busyCores: (appCpuMs + s3CpuMs) / sum(runs.map((r) => r.wallMs)),
        jobsMax: runs[0]!.jobsMax,
        queueMax: runs[0]!.queueMax,
      };
    });
}

const cpu = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : "–");

export function concurrencySection(results: Results): string[] {
  const levels = concurrencyLevels(results.concurrency);
  const first = levels[0];
  if (!first) return [];
  const base = levels.find((level) => level.workers === 1);
  const cores = results.machine.cores;
  const inputs = [...new Set(results.concurrency.map((run) => inputLabel(results, run.input)))].join(", ");
  return section(
    "One instance under concurrent crops",
    `A fresh process per run has N clients at once, each doing crop + save (the app's use cases, job limiter included: IMAGE_JOBS_MAX ${first.jobsMax}, IMAGE_QUEUE_MAX ${first.queueMax}) on the ${inputs} input with the ${CONCURRENCY_BOX} box, at least ${results.settings.concurrencyOperations} operations per run after one untimed warm-up operation; ${first.rounds} round(s), the levels in a rotated order each round. crops/s is the median over the rounds (range in brackets); peak RSS the highest. s3rver runs in another process on the same cores.`,
    [
      "| clients at once | done | crops/s | vs 1 | latency median / p95 | CPU per crop: app + S3 server | cores busy | peak RSS | 429 |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...levels.map(
        (c) =>
          `| ${c.workers} | ${c.completed}/${c.operations} | ${c.perSecond.toFixed(2)} (${c.perSecondRange[0].toFixed(2)}–${c.perSecondRange[1].toFixed(2)}) | ${base ? formatRatio(c.perSecond / base.perSecond) : "–"} | ${formatMs(c.latencyMedianMs)} / ${formatMs(c.latencyP95Ms)} ms | ${cpu(c.appCpuPerCropMs)} + ${cpu(c.s3CpuPerCropMs)} | ${Number.isFinite(c.busyCores) ? c.busyCores.toFixed(2) : "–"} | ${formatMiB(c.peakRss)} | ${c.rejected429} |`,
      ),
    ],
    base &&
      Number.isFinite(base.busyCores) &&
      `With one client a crop already keeps ${base.busyCores.toFixed(2)} of the ${cores} cores busy (the S3 server works while the app waits for it, the ${spelled(RENDITION_COUNT)} renditions encode in parallel, the cleanup runs after the answer), so at the same CPU per crop ${cores} cores could give about ${formatRatio(cores / base.busyCores)} of its throughput (more where a crop costs less CPU at higher concurrency, as the CPU column shows); the S3 server's share of the CPU (${cpu(base.s3CpuPerCropMs)} per crop) is work a real S3 does on other machines.`,
  );
}

export function boundSection(results: Results): string[] {
  if (!results.bound.length) return [];
  const inputs = [...new Set(results.bound.map((run) => inputLabel(results, run.input)))].join(", ");
  return section(
    undefined,
    `Memory bound with the ${inputs} input (the originals are downloaded inside the job slot, so only running jobs hold one):`,
    [
      "| clients at once | done | refused (429) | crops/s | peak RSS |",
      "|---:|---:|---:|---:|---:|",
      ...results.bound.map((c) => `| ${c.workers} | ${c.completed}/${c.operations} | ${c.rejected429} | ${c.perSecond.toFixed(2)} | ${formatMiB(c.peakRss)} |`),
    ],
  );
}
