/** The load test's report: Markdown for people (bench/results/loadtest.md) from the run's JSON. */
import { formatMiB, formatMs, quantile } from "../stats";

import type { ChaosEvent } from "./chaos";
import type { MetricsComparison } from "./metrics";
import type { ProbeResults } from "./probes";
import type { Verdict } from "./verify";
import { STEPS, type WalkerLog } from "./walker";

export type LoadtestResults = {
  startedAt: string;
  options: { users: number; durationSeconds: number; instances: number; s3: string; node: string; cpus: number };
  log: Omit<WalkerLog, "answers" | "lbAnswers"> & { answers: Record<string, number>; lbAnswers: Record<string, number> };
  chaos: ChaosEvent[];
  peakRss: Record<string, number>;
  verdict: Verdict;
  metrics?: MetricsComparison;
  /** The calm phase after the chaos: every process up, scraped when no walk was under way. */
  calm?: MetricsComparison;
  probes?: ProbeResults;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function stepTable(results: LoadtestResults): string[] {
  const rows = STEPS.map((step) => {
    const ms = results.log.samples.filter((s) => s.step === step && s.ok).map((s) => s.ms);
    return `| ${step} | ${ms.length} | ${formatMs(quantile(ms, 0.5))} | ${formatMs(quantile(ms, 0.95))} | ${formatMs(quantile(ms, 0.99))} | ${formatMs(ms.length ? Math.max(...ms) : Number.NaN)} |`;
  });
  return ["| step | answered | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|", ...rows];
}

function list(title: string, items: string[], none: string): string[] {
  if (items.length === 0) return [`- ${title}: **0** (${none})`];
  return [`- ${title}: **${items.length}**`, ...items.slice(0, 20).map((item) => `  - ${item}`), ...(items.length > 20 ? [`  - … and ${items.length - 20} more`] : [])];
}

export function renderLoadtestReport(results: LoadtestResults): string {
  const { log, verdict, options } = results;
  const userErrors = log.errors.filter((e) => e.status !== 429);
  const tooMany = log.errors.filter((e) => e.status === 429);
  const met = userErrors.length === 0 && verdict.savesLost.length === 0 && verdict.orphans.length === 0 && verdict.renditionsBroken.length === 0 && verdict.uploadsLeft.length === 0;
  const retriedBy = new Map<string, number>();
  for (const retry of log.retries) retriedBy.set(`${retry.step} after ${retry.reason}`, (retriedBy.get(`${retry.step} after ${retry.reason}`) ?? 0) + 1);
  return [
    "# Load test with chaos",
    "",
    `\`npm run loadtest\`, ${results.startedAt}: ${options.users} virtual users for ${options.durationSeconds} s through nginx on ${options.instances} instances of the production build, S3: ${options.s3}; Node ${options.node}, ${options.cpus} CPUs shared by everything (the users, nginx, the instances and S3).`,
    "",
    `**Targets: ${met ? "met" : "NOT met"}** — errors a user would have seen ${userErrors.length}, saves lost ${verdict.savesLost.length}, orphaned objects ${verdict.orphans.length}.`,
    "",
    "## What happened",
    "",
    `- walks (the whole wizard): **${log.walks}**, saves: **${log.saves.length}**`,
    `- requests retried by the browser's policy (lib/client/api.ts): **${log.retries.length}**${retriedBy.size ? ` (${[...retriedBy].map(([why, n]) => `${n} ${why}`).join(", ")})` : ""}`,
    `- answers made by nginx itself (no instance reached, e.g. the one it chose had just died): ${Object.entries(log.lbAnswers).map(([key, n]) => `${n} × ${key}`).join(", ") || "none"}`,
    ...list("errors a user would have seen", userErrors.map((e) => `${seconds(e.at)} ${e.step}: ${e.status} ${e.code}: ${e.message}`), "every failure was absorbed by the retries"),
    ...list("429 answers shown to a user", tooMany.map((e) => `${seconds(e.at)} ${e.step}: ${e.code}: ${e.message}`), "no limit was reached"),
    "",
    "## Latency per step (answered calls, retries included)",
    "",
    ...stepTable(results),
    "",
    "## Checked afterwards, from S3 and the API",
    "",
    `- saves checked: ${verdict.savesChecked}; every saved avatar in its user's history (S3) and in \`GET /api/avatars\`:`,
    ...list("  saves lost", verdict.savesLost, "all there"),
    ...list("  saves missing from the API's history", verdict.apiMissing, "all listed"),
    `- renditions read back and decoded: ${verdict.renditionsChecked}`,
    ...list("  broken or missing renditions", verdict.renditionsBroken, "all whole"),
    ...list("objects under avatars/ that no history record or pointer reaches (orphans)", verdict.orphans, "none"),
    ...list("upload prefixes of saved wizards still in S3", verdict.uploadsLeft, "all removed after the save"),
    "",
    "## Peak memory per instance (RSS, sampled every 0.5 s, over all its restarts)",
    "",
    "| instance | peak RSS |",
    "|---|---:|",
    ...Object.entries(results.peakRss).map(([id, bytes]) => `| ${id} | ${formatMiB(bytes)} |`),
    "",
    "## Chaos timeline",
    "",
    "| from | to | event |",
    "|---:|---:|---|",
    ...results.chaos.map((event) => `| ${seconds(event.at)} | ${seconds(event.until)} | ${event.what} |`),
    "",
    ...(results.probes ? probesSection(results.probes) : []),
    "",
    ...(results.metrics?.scraped ? metricsSection(results.metrics, results.calm) : ["## Metrics", "", "Not compared: no instance answered /api/metrics in this build."]),
    "",
  ].join("\n");
}

function comparisonTable(comparison: MetricsComparison): string[] {
  return [
    "| answers | load test saw | instances counted | difference |",
    "|---|---:|---:|---:|",
    ...comparison.rows.map((row) => `| ${row.key} | ${row.client} | ${row.server} | ${row.server - row.client} |`),
  ];
}

function metricsSection(metrics: MetricsComparison, calm?: MetricsComparison): string[] {
  const calmAgrees = calm ? calm.rows.every((row) => row.client === row.server) : false;
  return [
    ...(calm
      ? [
          "## The instances' own metrics beside the load test's counts",
          "",
          `**Calm phase** (after the chaos, every process up, scraped while no walk was under way): they ${calmAgrees ? "**agree**, answer for answer" : "**do not agree**"}.`,
          "",
          ...comparisonTable(calm),
          "",
          "**The whole run**, chaos included:",
          "",
        ]
      : []),
    "Scraped from every instance directly (`/api/metrics`, bearer token) every 0.5 s; a counter that went down started again with a new process, so the runs are added up. A SIGKILLed instance loses what it counted since its last scrape, as Prometheus would.",
    "",
    ...comparisonTable(metrics),
    "",
    metrics.note,
  ];
}

const statuses = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([status, n]) => `${n} × ${status}`)
    .join(", ");

function probesSection(probes: ProbeResults): string[] {
  const { cropFlood, presignBurst } = probes;
  return [
    "## Probes, after the run, on the same cluster",
    "",
    `- **One user floods crops**: ${cropFlood.crops} crops at once of one ${cropFlood.megapixels} MP upload answered ${statuses(cropFlood.statuses)}. Meanwhile another user's crop answered ${cropFlood.otherUserStatus} in ${formatMs(cropFlood.otherUserMs)} ms (${formatMs(cropFlood.otherUserAloneMs)} ms alone, just before).`,
    `- **One user's burst of upload starts**: ${presignBurst.requests} at once with UPLOADS_PER_HOUR=${presignBurst.limit} answered ${statuses(presignBurst.statuses)}.`,
    ...probes.chunkedBody.map(
      (probe) =>
        `- **A 1 MiB chunked JSON body, sent slowly (16 KiB every 25 ms), ${probe.target}**: ${probe.status} ${probe.code} after ${(probe.bytesSentWhenAnswered / 1024).toFixed(0)} KiB of ${(probe.bodyBytes / 1024).toFixed(0)} KiB were sent.`,
    ),
  ];
}
