/**
 * The bench's targets, each defined once here: the verdicts of the report's Targets section, its
 * ratio table and the summary printed at the end of a run all read them.
 */
import { BOXES } from "../crop-boxes";
import { formatBytes, formatMiB, formatMs, formatRatio } from "../stats";
import type { Way } from "../ways";
import { CROP_PAGE, EMPTY_PAGE } from "../web/browser-pages";
import { CROP_ROUTE } from "../web/route-js";
import { concurrencyLevels } from "./concurrency";
import { section } from "./markdown";
import { caseMedian, caseRatio, inputLabel, type Results } from "./results";

const KiB = 1024;
const GiB = 1024 ** 3;

export const TARGETS = {
  /** The input the ratio targets are about. */
  ratioInput: "jpeg-24mp",
  appOverFloor: { max: 1.3 },
  imagemagickOverApp: { min: 4 },
  articleOverApp: { min: 1.3 },
  naiveAppOverApp: { min: 1.5, box: "large" },
  concurrency: { input: "jpeg-24mp", from: 1, to: 2, minSpeedup: 1.7 },
  bound: { input: "jpeg-48mp", workers: 8, maxRss: GiB },
  step1: { maxAppBytes: 4 * KiB },
  /** The preview is at most 1/maxShareDenominator of the original's bytes. */
  preview: { input: "jpeg-24mp", maxShareDenominator: 5 },
  cropPage: { maxGzipBytesBeyondEmpty: 60 * KiB },
} as const;

export type Verdict = { target: string; figure: string; met: boolean | undefined };

const atMost = (value: number) => `≤ ${value}`;
const atLeast = (value: number) => `≥ ${value}`;
const met = (verdict: boolean | undefined) => (verdict === undefined ? "not measured" : verdict ? "**met**" : "**missed**");

function ratioVerdicts(results: Results): Verdict[] {
  const at = TARGETS.ratioInput;
  const label = inputLabel(results, at);
  const both = (numerator: Way, denominator: Way) => BOXES.map((box) => caseRatio(results, at, box, numerator, denominator));
  const figure = (values: number[]) => BOXES.map((box, i) => `${box} box ${formatRatio(values[i]!)}`).join(", ");
  const all = (values: number[], test: (x: number) => boolean) => (values.every(Number.isFinite) ? values.every(test) : undefined);
  const appFloor = both("app", "floor");
  const imApp = both("imagemagick", "app");
  const articleApp = both("article", "app");
  const { min: naiveMin, box } = TARGETS.naiveAppOverApp;
  const naiveApp = caseRatio(results, at, box, "naiveApp", "app");
  const ms = (way: Way) => formatMs(caseMedian(results, at, box, way));
  return [
    { target: `app / floor ${atMost(TARGETS.appOverFloor.max)} (${label})`, figure: figure(appFloor), met: all(appFloor, (x) => x <= TARGETS.appOverFloor.max) },
    { target: `ImageMagick / app ${atLeast(TARGETS.imagemagickOverApp.min)} (${label})`, figure: figure(imApp), met: all(imApp, (x) => x >= TARGETS.imagemagickOverApp.min) },
    { target: `article / app ${atLeast(TARGETS.articleOverApp.min)} (${label})`, figure: figure(articleApp), met: all(articleApp, (x) => x >= TARGETS.articleOverApp.min) },
    {
      target: `${box} box, ${label}: app ${atLeast(naiveMin)}× faster than with a naive sharp pipeline that decodes the full image first`,
      figure:
        `app ${ms("app")} ms vs the same code path with the naive crop ${ms("naiveApp")} ms: ${formatRatio(naiveApp)}; ` +
        `the sharp work alone (in memory): ${ms("floor")} vs ${ms("naive")} ms, ${formatRatio(caseRatio(results, at, box, "naive", "floor"))}`,
      met: Number.isFinite(naiveApp) ? naiveApp >= naiveMin : undefined,
    },
  ];
}

function instanceVerdicts(results: Results): Verdict[] {
  const { input, from, to, minSpeedup } = TARGETS.concurrency;
  const levels = concurrencyLevels(results.concurrency.filter((run) => run.input === input));
  const low = levels.find((level) => level.workers === from);
  const high = levels.find((level) => level.workers === to);
  const speedup = low && high ? high.perSecond / low.perSecond : Number.NaN;

  const { workers, maxRss } = TARGETS.bound;
  const boundRuns = results.bound.filter((run) => run.input === TARGETS.bound.input);
  const atTarget = boundRuns.find((run) => run.workers === workers);
  const others = boundRuns.filter((run) => run !== atTarget);
  return [
    {
      target: `throughput at concurrency ${to} ${atLeast(minSpeedup)}× concurrency ${from} (${inputLabel(results, input)})`,
      figure: low && high ? `${low.perSecond.toFixed(2)}/s → ${high.perSecond.toFixed(2)}/s: ${formatRatio(speedup)}` : "–",
      met: Number.isFinite(speedup) ? speedup >= minSpeedup : undefined,
    },
    {
      target: `peak RSS at concurrency ${workers} with ${inputLabel(results, TARGETS.bound.input)} < ${maxRss / GiB} GiB, bounded by the job limiter`,
      figure: atTarget
        ? `${formatMiB(atTarget.peakRss)} at ${workers} (${atTarget.rejected429} refused)` +
          others.map((run) => `; ${formatMiB(run.peakRss)} at ${run.workers} (${run.rejected429} refused with 429)`).join("") +
          `; limiter ${atTarget.jobsMax} running + ${atTarget.queueMax} queued`
        : "–",
      met: atTarget ? boundRuns.every((run) => run.peakRss < maxRss) : undefined,
    },
  ];
}

function webVerdicts(results: Results): Verdict[] {
  const step1 = results.web?.step1 ?? [];
  const { maxAppBytes } = TARGETS.step1;
  const { maxShareDenominator } = TARGETS.preview;
  const preview = results.web?.preview?.file === inputLabel(results, TARGETS.preview.input) ? results.web.preview : undefined;
  const { maxGzipBytesBeyondEmpty } = TARGETS.cropPage;
  const js = results.web?.manifest;
  const crop = js?.wizard.find((route) => route.route === CROP_ROUTE);
  const beyond = js && crop ? crop.gzipBytes - js.empty.gzipBytes : Number.NaN;
  const pages = results.web?.browser?.pages ?? [];
  const browserCrop = pages.find((page) => page.page === CROP_PAGE);
  const browserEmpty = pages.find((page) => page.page === EMPTY_PAGE);
  const browserBeyond = browserCrop && browserEmpty ? browserCrop.gzipBytes - browserEmpty.gzipBytes : Number.NaN;
  return [
    {
      target: `step 1: the app receives ${atMost(maxAppBytes / KiB)} KB per upload, whatever the file size`,
      figure: step1.length ? step1.map((row) => `${formatBytes(row.fileBytes)} file → ${row.appReceived} B`).join("; ") : "–",
      met: step1.length ? Math.max(...step1.map((row) => row.appReceived)) <= maxAppBytes : undefined,
    },
    {
      target: `crop step: preview ≤ 1/${maxShareDenominator} of the original's bytes (${inputLabel(results, TARGETS.preview.input)})`,
      figure: preview ? `${formatBytes(preview.previewBytes)} vs ${formatBytes(preview.originalBytes)}: 1/${(preview.originalBytes / preview.previewBytes).toFixed(1)}` : "–",
      met: preview ? preview.previewBytes * maxShareDenominator <= preview.originalBytes : undefined,
    },
    {
      target: `crop page: ${atMost(maxGzipBytesBeyondEmpty / KiB)} KB gzip JavaScript beyond an empty page`,
      figure: Number.isFinite(beyond)
        ? `${formatBytes(beyond)} (build manifests)` + (Number.isFinite(browserBeyond) ? `; ${formatBytes(browserBeyond)} (Chromium, scripts fetched)` : "")
        : "–",
      met: Number.isFinite(beyond) ? beyond <= maxGzipBytesBeyondEmpty && (!Number.isFinite(browserBeyond) || browserBeyond <= maxGzipBytesBeyondEmpty) : undefined,
    },
  ];
}

export function verdicts(results: Results): Verdict[] {
  return [...ratioVerdicts(results), ...instanceVerdicts(results), ...webVerdicts(results)];
}

/** The ratios of medians at the ratio targets' input, by box, beside their targets. */
export function ratioTable(results: Results): string[] {
  const at = TARGETS.ratioInput;
  const row = (label: string, numerator: Way, denominator: Way, target: string) =>
    `| ${label} | ${BOXES.map((box) => formatRatio(caseRatio(results, at, box, numerator, denominator))).join(" | ")} | ${target} |`;
  return [
    `| ratio of medians, ${inputLabel(results, at)} | ${BOXES.map((box) => `${box} box`).join(" | ")} | target |`,
    `|---|${BOXES.map(() => "---:").join("|")}|---|`,
    row("app / floor", "app", "floor", atMost(TARGETS.appOverFloor.max)),
    row("ImageMagick / app", "imagemagick", "app", atLeast(TARGETS.imagemagickOverApp.min)),
    row("article / app", "article", "app", atLeast(TARGETS.articleOverApp.min)),
    row("app with the naive crop / app", "naiveApp", "app", `${atLeast(TARGETS.naiveAppOverApp.min)} (${TARGETS.naiveAppOverApp.box} box)`),
    row("naive / floor (sharp work alone, in memory)", "naive", "floor", "–"),
  ];
}

export function targetsSection(results: Results, verdictList: Verdict[]): string[] {
  return section(
    "Targets",
    ["| target | figure (this run) | |", "|---|---|---|", ...verdictList.map((verdict) => `| ${verdict.target} | ${verdict.figure} | ${met(verdict.met)} |`)],
    ratioTable(results),
  );
}

/** The summary printed at the end of a run: the verdicts and the ratio table. */
export function summary(results: Results, verdictList: Verdict[]): string {
  return [
    "Targets:",
    ...verdictList.map((verdict) => `  ${verdict.met === undefined ? "?" : verdict.met ? "met   " : "MISSED"}  ${verdict.target}: ${verdict.figure}`),
    "",
    ...ratioTable(results),
  ].join("\n");
}
