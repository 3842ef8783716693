/** bench/results/latest.md from one run's results, and the summary printed at the end of the run. */
import type { InputSpec } from "./inputs";
import { formatLoad, type Load, type MachineFacts } from "./machine";
import type { ConcurrencyResult, RssResult } from "./probe";
import { formatBytes, formatMs, formatRatio, median, p95 } from "./stats";
import type { CaseKey, Samples } from "./timed";
import { BOXES, type BoxKind } from "./crop-boxes";
import { WAY_LABELS, WAYS, type Way } from "./ways";
import type { WebResults } from "./web";

export type Results = {
  mode: "full" | "quick";
  startedAt: string;
  finishedAt: string;
  settings: { iterations: number; warmup: number; rssRepeats: number; concurrencyOperations: number; concurrencyRounds: number };
  machine: MachineFacts;
  loads: { label: string; load: Load }[];
  inputs: (InputSpec & { bytes: number; previewBytes: number; boxes: Record<BoxKind, { left: number; top: number; width: number; height: number }> })[];
  timing: Samples;
  pixelCheck: Record<string, number>;
  rss: RssResult[];
  concurrency: ConcurrencyResult[];
  bound: ConcurrencyResult[];
  web?: WebResults;
  webError?: string;
};

type Verdict = { target: string; figure: string; met: boolean | undefined };

type Level = { workers: number; rounds: number; operations: number; completed: number; rejected429: number; perSecond: number; perSecondRange: [number, number]; latencyMedianMs: number; latencyP95Ms: number; peakRss: number; appCpuPerCropMs: number; s3CpuPerCropMs: number; busyCores: number; jobsMax: number; queueMax: number };

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The concurrency runs by level: median throughput over the rounds, the highest peak RSS. */
export function concurrencyLevels(results: Results): Level[] {
  const byWorkers = new Map<number, ConcurrencyResult[]>();
  for (const run of results.concurrency) byWorkers.set(run.workers, [...(byWorkers.get(run.workers) ?? []), run]);
  return [...byWorkers.entries()]
    .sort(([a], [b]) => a - b)
    .map(([workers, runs]) => {
      const rates = runs.map((r) => r.perSecond);
      return {
        workers,
        rounds: runs.length,
        operations: runs.reduce((sum, r) => sum + r.operations, 0),
        completed: runs.reduce((sum, r) => sum + r.completed, 0),
        rejected429: runs.reduce((sum, r) => sum + r.rejected429, 0),
        perSecond: median(rates),
        perSecondRange: [Math.min(...rates), Math.max(...rates)],
        latencyMedianMs: median(runs.map((r) => r.latencyMedianMs)),
        latencyP95Ms: Math.max(...runs.map((r) => r.latencyP95Ms)),
        peakRss: Math.max(...runs.map((r) => r.peakRss)),
        // CPU per completed crop, and cores kept busy (app + S3 CPU over wall time), over all rounds.
        appCpuPerCropMs: sum(runs.map((r) => r.appCpuMs ?? NaN)) / sum(runs.map((r) => r.completed)),
        s3CpuPerCropMs: sum(runs.map((r) => r.s3CpuMs ?? NaN)) / sum(runs.map((r) => r.completed)),
        busyCores: (sum(runs.map((r) => r.appCpuMs ?? NaN)) + sum(runs.map((r) => r.s3CpuMs ?? NaN))) / sum(runs.map((r) => r.wallMs)),
        jobsMax: runs[0]!.jobsMax,
        queueMax: runs[0]!.queueMax,
      };
    });
}

const MiB = 2 ** 20;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
const yes = (met: boolean | undefined) => (met === undefined ? "not measured" : met ? "**met**" : "**missed**");

function med(results: Results, input: string, box: BoxKind, way: Way): number {
  return median(results.timing.crop[`${input}/${box}`]?.[way] ?? []);
}

function ratio(results: Results, input: string, box: BoxKind, numerator: Way, denominator: Way): number {
  return med(results, input, box, numerator) / med(results, input, box, denominator);
}

export function verdicts(results: Results): Verdict[] {
  const v: Verdict[] = [];
  const at24 = "jpeg-24mp";
  const both = (num: Way, den: Way) => BOXES.map((box) => ratio(results, at24, box, num, den));
  const fmtBoth = (values: number[]) => `small box ${formatRatio(values[0]!)}, large box ${formatRatio(values[1]!)}`;
  const all = (values: number[], test: (x: number) => boolean) => (values.every(Number.isFinite) ? values.every(test) : undefined);

  const appFloor = both("app", "floor");
  v.push({ target: "app / floor ≤ 1.3 at 24 MP", figure: fmtBoth(appFloor), met: all(appFloor, (x) => x <= 1.3) });
  const imApp = both("imagemagick", "app");
  v.push({ target: "ImageMagick / app ≥ 4 (24 MP)", figure: fmtBoth(imApp), met: all(imApp, (x) => x >= 4) });
  const articleApp = both("article", "app");
  v.push({ target: "article / app ≥ 1.3 (24 MP)", figure: fmtBoth(articleApp), met: all(articleApp, (x) => x >= 1.3) });
  const naiveApp = ratio(results, at24, "large", "naiveApp", "app");
  const naiveFloor = ratio(results, at24, "large", "naive", "floor");
  v.push({
    target: "large box at 24 MP: app ≥ 1.5× faster than with a naive sharp pipeline that decodes the full image first",
    figure:
      `app ${formatMs(med(results, at24, "large", "app"))} ms vs the same code path with the naive crop ${formatMs(med(results, at24, "large", "naiveApp"))} ms: ${formatRatio(naiveApp)}; ` +
      `the sharp work alone (in memory): ${formatMs(med(results, at24, "large", "floor"))} vs ${formatMs(med(results, at24, "large", "naive"))} ms, ${formatRatio(naiveFloor)}`,
    met: Number.isFinite(naiveApp) ? naiveApp >= 1.5 : undefined,
  });

  const levels = concurrencyLevels(results);
  const c1 = levels.find((c) => c.workers === 1);
  const c2 = levels.find((c) => c.workers === 2);
  const speedup = c1 && c2 ? c2.perSecond / c1.perSecond : Number.NaN;
  v.push({
    target: "throughput at concurrency 2 ≥ 1.7× concurrency 1 (24 MP)",
    figure: c1 && c2 ? `${c1.perSecond.toFixed(2)}/s → ${c2.perSecond.toFixed(2)}/s: ${formatRatio(speedup)}` : "–",
    met: Number.isFinite(speedup) ? speedup >= 1.7 : undefined,
  });

  const b8 = results.bound.find((b) => b.workers === 8);
  const bMax = results.bound.at(-1);
  v.push({
    target: "peak RSS at concurrency 8 with 48 MP < 1 GiB, bounded by the job limiter",
    figure: b8
      ? `${mib(b8.peakRss)} at 8 (${b8.rejected429} refused)` +
        (bMax && bMax !== b8 ? `; ${mib(bMax.peakRss)} at ${bMax.workers} (${bMax.rejected429} refused with 429)` : "") +
        `; limiter ${b8.jobsMax} running + ${b8.queueMax} queued`
      : "–",
    met: b8 ? b8.peakRss < 1024 * MiB && (!bMax || bMax.peakRss < 1024 * MiB) : undefined,
  });

  const step1 = results.web?.step1 ?? [];
  const maxApp = Math.max(...step1.map((row) => row.appReceived));
  v.push({
    target: "step 1: the app receives ≤ 4 KB per upload, whatever the file size",
    figure: step1.length ? step1.map((row) => `${formatBytes(row.fileBytes)} file → ${row.appReceived} B`).join("; ") : "–",
    met: step1.length ? maxApp <= 4096 : undefined,
  });

  const preview = results.web?.preview;
  v.push({
    target: "crop step: preview ≤ 1/5 of the original's bytes (24 MP JPEG)",
    figure: preview ? `${formatBytes(preview.previewBytes)} vs ${formatBytes(preview.originalBytes)}: 1/${(preview.originalBytes / preview.previewBytes).toFixed(1)}` : "–",
    met: preview ? preview.previewBytes * 5 <= preview.originalBytes : undefined,
  });

  const js = results.web?.manifest;
  const crop = js?.wizard.find((route) => route.route === "/avatar/new/[uploadId]/page");
  const beyond = js && crop ? crop.gzipBytes - js.empty.gzipBytes : Number.NaN;
  const browserCrop = results.web?.browser?.pages.find((page) => page.page === "crop");
  const browserEmpty = results.web?.browser?.pages.find((page) => page.page.startsWith("empty"));
  const browserBeyond = browserCrop && browserEmpty ? browserCrop.gzipBytes - browserEmpty.gzipBytes : Number.NaN;
  v.push({
    target: "crop page: ≤ 60 KB gzip JavaScript beyond an empty page",
    figure: Number.isFinite(beyond)
      ? `${formatBytes(beyond)} (build manifests)` + (Number.isFinite(browserBeyond) ? `; ${formatBytes(browserBeyond)} (Chromium, scripts fetched)` : "")
      : "–",
    met: Number.isFinite(beyond) ? beyond <= 60 * 1024 && (!Number.isFinite(browserBeyond) || browserBeyond <= 60 * 1024) : undefined,
  });
  return v;
}

function timingTable(results: Results): string[] {
  const lines = [
    `| case | ${WAYS.map((way) => WAY_LABELS[way]).join(" | ")} | app / floor | ImageMagick / app | article / app | app, naive crop / app | fast vs full decode (Δ 0-255) |`,
    `|---|${WAYS.map(() => "---:").join("|")}|---:|---:|---:|---:|---:|`,
  ];
  for (const input of results.inputs)
    for (const box of BOXES) {
      const key: CaseKey = `${input.id}/${box}`;
      const cells = WAYS.map((way) => {
        const samples = results.timing.crop[key]?.[way] ?? [];
        return `${formatMs(median(samples))} / ${formatMs(p95(samples))}`;
      });
      lines.push(
        `| ${input.label}, ${box} box | ${cells.join(" | ")} | ${formatRatio(ratio(results, input.id, box, "app", "floor"))} | ${formatRatio(ratio(results, input.id, box, "imagemagick", "app"))} | ${formatRatio(ratio(results, input.id, box, "article", "app"))} | ${formatRatio(ratio(results, input.id, box, "naiveApp", "app"))} | ${(results.pixelCheck[key] ?? Number.NaN).toFixed(2)} |`,
      );
    }
  return lines;
}

export function ratioTable(results: Results): string[] {
  const at = "jpeg-24mp";
  const row = (label: string, num: Way, den: Way, target: string) =>
    `| ${label} | ${BOXES.map((box) => formatRatio(ratio(results, at, box, num, den))).join(" | ")} | ${target} |`;
  return [
    "| ratio of medians, JPEG 24 MP | small box | large box | target |",
    "|---|---:|---:|---|",
    row("app / floor", "app", "floor", "≤ 1.3"),
    row("ImageMagick / app", "imagemagick", "app", "≥ 4"),
    row("article / app", "article", "app", "≥ 1.3"),
    row("app with the naive crop / app", "naiveApp", "app", "≥ 1.5 (large box)"),
    row("naive / floor (sharp work alone, in memory)", "naive", "floor", "–"),
  ];
}

export function renderReport(results: Results): { markdown: string; summary: string } {
  const m = results.machine;
  const out: string[] = [];
  const first = results.loads[0]?.load;
  const last = results.loads.at(-1)?.load;
  const v = verdicts(results);

  out.push("# Benchmark: the crop path beside its alternatives");
  out.push("");
  out.push(
    `Generated by \`npm run bench${results.mode === "quick" ? " -- --quick" : ""}\` (bench/run.ts) on ${results.startedAt.slice(0, 10)}; ${results.settings.iterations} timed iterations after ${results.settings.warmup} warm-up (${results.mode} run). Raw samples: [latest.json](latest.json). Chart: [latest.svg](latest.svg).`,
  );
  out.push("");
  out.push("![Time per operation by input and crop box, six ways](latest.svg)");
  out.push("");
  out.push("## Targets");
  out.push("");
  out.push("| target | figure (this run) | |");
  out.push("|---|---|---|");
  for (const verdict of v) out.push(`| ${verdict.target} | ${verdict.figure} | ${yes(verdict.met)} |`);
  out.push("");
  out.push(...ratioTable(results));
  out.push("");
  out.push("## Machine");
  out.push("");
  out.push(`- CPU: ${m.cpuModel}, ${m.cores} cores available, ${m.memoryGiB} GiB memory; ${m.os}`);
  out.push(`- Node ${m.node}; sharp ${m.sharp} with libvips ${m.libvips} (sharp.concurrency ${m.sharpConcurrency}: libvips threads per image; libuv thread pool ${m.uvThreadpoolSize})`);
  out.push(`- ImageMagick: ${m.imagemagick}; ${m.imagemagickPolicy}; its OpenMP uses every core for one picture (no thread limit set)`);
  out.push(`- S3: s3rver ${m.s3rver} (the embedded S3) as its own process on loopback, over HTTP; Next.js ${m.next}`);
  out.push(`- Load average at start: ${first ? formatLoad(first) : "–"}; at end: ${last ? formatLoad(last) : "–"}`);
  out.push(`- Load average along the run: ${results.loads.map((l) => `${l.label} ${l.load.one.toFixed(2)}`).join(", ")}`);
  out.push(
    "- The load average counts this benchmark's own processes too (up to 2 on its own). The machine was shared with other work during the run (builds and test suites of other people); interleaving the ways per iteration spreads that noise over all of them alike, but absolute figures are noisier than on an idle machine.",
  );
  out.push("");
  out.push("## What is measured");
  out.push("");
  out.push("The server side of step 2 (crop) + step 3 (save) for one picture, by six ways, each iteration running every way on every case in a rotated order:");
  out.push("");
  out.push(
    "1. **app**: the app's own code, `cropUpload` then `saveAvatar` (lib/avatars, what the route handlers call), job limiter included, against the embedded S3 over HTTP. Crop: HEAD preview while the original downloads (GET), crop, encode the four renditions, PUT each as soon as it is encoded, sign its URL. Save: 4 CopyObject of the renditions, PUT history, PUT current while the URLs are signed. Timed up to the save's answer; the upload's cleanup it leaves to Next's after() (LIST + DeleteObjects) then runs untimed before the next measurement. Re-creating the ready upload it starts from is not timed.",
  );
  out.push(
    "2. **app, naive crop**: the same code path (cropUpload's steps, the limiter, the real saveAvatar) with the crop's sharp pipeline replaced by the naive one of 4.",
  );
  out.push("3. **floor**: the app's sharp work (`inspectImage`, `cropToRenditions`: crop to a 512 px square of raw pixels, encode the four renditions) on bytes already in memory: no S3.");
  out.push(
    "4. **naive**: `sharp(bytes).autoOrient().extract(box).resize(512)` to raw pixels, then the app's own rendition encoders, in memory: it decodes the picture at full resolution first (no shrink-on-load). Exists only in the bench.",
  );
  out.push(
    "5. **article**: download the object to a temporary file, `sharp(file).extract().resize().toFile()`, each rendition from that file to another file, then 5 uploads from disk (the usual tutorial code; 1 GET + 5 PUTs, no history, pointer or cleanup).",
  );
  out.push(
    "6. **ImageMagick**: the same temporary files and S3 round trips, with one `convert` doing crop, 512 square and the renditions (`-crop … +repage -resize 512x512! -strip -write …`).",
  );
  out.push("");
  out.push(
    "Before its two answers the app makes 12 S3 requests in 5 sequential steps (crop: HEAD + GET at once, then the 4 PUTs overlapping the encoding; save: 4 copies at once, then the history record, then the pointer: the order that keeps a save whole under crashes and retries), plus 2 after the save's answer (the cleanup). app − floor is the cost of those round trips and of downloading the original.",
  );
  out.push("");
  out.push(
    "Inputs, generated by the bench (photo-like: gradients, hard-edged shapes, textures, grain; cached in bench/tmp). At quality 90 the JPEGs come to about a quarter of a byte per pixel, the size of camera and phone JPEGs (a 12 MP phone photo is typically 2.5–4 MB): neither flat pictures that compress to nothing nor noise that does not compress at all.",
  );
  out.push("");
  out.push("| input | pixels | file | bytes/pixel | preview (app) | small box | large box |");
  out.push("|---|---|---:|---:|---:|---|---|");
  for (const input of results.inputs) {
    const box = (b: { left: number; top: number; width: number }) => `${b.width}² at ${b.left},${b.top}`;
    out.push(
      `| ${input.label} | ${input.width}×${input.height} | ${formatBytes(input.bytes)} | ${(input.bytes / (input.width * input.height)).toFixed(2)} | ${formatBytes(input.previewBytes)} | ${box(input.boxes.small)} | ${box(input.boxes.large)} |`,
    );
  }
  out.push("");
  out.push("## Time per operation (ms, median / p95)");
  out.push("");
  out.push(...timingTable(results));
  out.push("");
  out.push(
    `p95 is interpolated over ${results.settings.iterations} samples per cell. "fast vs full decode" is the mean difference (0-255, on 64×64) between the app's crop and the naive full-resolution one: the shrink-on-load path gives the same picture.`,
  );
  out.push("");
  out.push("Step 1's server side, `finishUpload` (HEAD preview, HEAD original, GET original, check, preview, PUT preview), per input:");
  out.push("");
  out.push("| input | median | p95 |");
  out.push("|---|---:|---:|");
  for (const input of results.inputs) {
    const samples = results.timing.finish[input.id] ?? [];
    out.push(`| ${input.label} | ${formatMs(median(samples))} ms | ${formatMs(p95(samples))} ms |`);
  }
  out.push("");

  if (results.rss.length) {
    out.push("## Peak memory per way (large box)");
    out.push("");
    out.push("Each figure is a fresh process doing that operation " + `${results.settings.rssRepeats}×: its peak RSS, and in brackets the growth over its RSS just before (Node, the AWS SDK and the input bytes are in the baseline). For ImageMagick it is the \`convert\` process alone.`);
    out.push("");
    const inputs = [...new Set(results.rss.map((r) => r.input))];
    out.push(`| input | ${WAYS.map((way) => WAY_LABELS[way]).join(" | ")} |`);
    out.push(`|---|${WAYS.map(() => "---:").join("|")}|`);
    for (const input of inputs) {
      const cells = WAYS.map((way) => {
        const r = results.rss.find((x) => x.input === input && x.way === way);
        if (!r) return "–";
        return way === "imagemagick" ? mib(r.peakRss) : `${mib(r.peakRss)} (+${mib(Math.max(0, r.peakRss - r.baselineRss))})`;
      });
      out.push(`| ${results.inputs.find((i) => i.id === input)?.label ?? input} | ${cells.join(" | ")} |`);
    }
    out.push("");
  }

  const levels = concurrencyLevels(results);
  if (levels.length) {
    out.push("## One instance under concurrent crops");
    out.push("");
    out.push(
      "A fresh process per run has N clients at once, each doing crop + save (the app's use cases, job limiter included, defaults: " +
        `IMAGE_JOBS_MAX ${levels[0]!.jobsMax}, IMAGE_QUEUE_MAX ${levels[0]!.queueMax}) on 24 MP JPEGs with the large box, at least ${results.settings.concurrencyOperations} operations per run after one untimed warm-up operation; ${levels[0]!.rounds} round(s), the levels in a rotated order each round. crops/s is the median over the rounds (range in brackets); peak RSS the highest. s3rver runs in another process on the same cores.`,
    );
    out.push("");
    out.push("| clients at once | done | crops/s | vs 1 | latency median / p95 | CPU per crop: app + S3 server | cores busy | peak RSS | 429 |");
    out.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    const base = levels.find((c) => c.workers === 1);
    const cpu = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : "–");
    for (const c of levels) {
      out.push(
        `| ${c.workers} | ${c.completed}/${c.operations} | ${c.perSecond.toFixed(2)} (${c.perSecondRange[0].toFixed(2)}–${c.perSecondRange[1].toFixed(2)}) | ${base ? formatRatio(c.perSecond / base.perSecond) : "–"} | ${formatMs(c.latencyMedianMs)} / ${formatMs(c.latencyP95Ms)} ms | ${cpu(c.appCpuPerCropMs)} + ${cpu(c.s3CpuPerCropMs)} | ${Number.isFinite(c.busyCores) ? c.busyCores.toFixed(2) : "–"} | ${mib(c.peakRss)} | ${c.rejected429} |`,
      );
    }
    out.push("");
    if (base && Number.isFinite(base.busyCores)) {
      out.push(
        `With one client a crop already keeps ${base.busyCores.toFixed(2)} of the ${results.machine.cores} cores busy (the S3 server works while the app waits for it, the four renditions encode in parallel, the cleanup runs after the answer), so at the same CPU per crop ${results.machine.cores} cores could give about ${formatRatio(results.machine.cores / base.busyCores)} of its throughput (more where a crop costs less CPU at higher concurrency, as the CPU column shows); the S3 server's share of the CPU (${cpu(base.s3CpuPerCropMs)} per crop) is work a real S3 does on other machines.`,
      );
      out.push("");
    }
  }
  if (results.bound.length) {
    out.push("Memory bound with 48 MP JPEGs (the originals are downloaded inside the job slot, so only running jobs hold one):");
    out.push("");
    out.push("| clients at once | done | refused (429) | crops/s | peak RSS |");
    out.push("|---:|---:|---:|---:|---:|");
    for (const c of results.bound) out.push(`| ${c.workers} | ${c.completed}/${c.operations} | ${c.rejected429} | ${c.perSecond.toFixed(2)} | ${mib(c.peakRss)} |`);
    out.push("");
  }

  const web = results.web;
  if (results.webError) {
    out.push("## Browser side");
    out.push("");
    out.push(`Not measured: ${results.webError}`);
    out.push("");
  }
  if (web) {
    out.push("## Step 1: bytes through the app per upload");
    out.push("");
    out.push(
      `Measured on a production build (\`next build\` of a copy of the working tree, \`next start\`) behind a byte-counting loopback proxy; a Node client signs in (development sign-in: ${web.signIn.appReceived} B up, ${web.signIn.appSent} B down, once), then per file: presign → multipart POST straight to S3 → finish. The app's own S3 traffic goes through a second counting proxy.`,
    );
    out.push("");
    out.push("| file | size | app received (requests incl. headers, cookies) | app sent | client → S3 directly | app ← S3 (finish reads the original back) | app → S3 |");
    out.push("|---|---:|---:|---:|---:|---:|---:|");
    for (const row of web.step1) {
      out.push(`| ${row.file} | ${formatBytes(row.fileBytes)} | ${row.appReceived} B | ${row.appSent} B | ${formatBytes(row.clientToS3)} | ${formatBytes(row.appFromS3)} | ${formatBytes(row.appToS3)} |`);
    }
    out.push("");
    out.push(
      "The file never passes through the app's HTTP side. The app does read it back from S3 once, server side, in `finish` (size, real type, pixel count, completeness, preview): that is the app ← S3 column.",
    );
    out.push("");
    if (web.preview) {
      const p = web.preview;
      out.push("## Step 2: what the browser downloads to show the crop step");
      out.push("");
      out.push(
        `${p.file} (${p.displayed.width}×${p.displayed.height}, ${formatBytes(p.originalBytes)}): the page shows the preview, ${p.previewSize.width}×${p.previewSize.height} WebP, ${formatBytes(p.previewBytes)} = 1/${(p.originalBytes / p.previewBytes).toFixed(1)} of the original. In Chromium the crop page fetched ${p.browserImageRequests} image(s), ${Number.isFinite(p.browserImageBytes) ? formatBytes(p.browserImageBytes) : "–"} in all; the original is never sent to the browser.`,
      );
      out.push("");
      out.push(
        `Crop coordinates still map onto the original: the page scales the rectangle it gets on the preview by original/preview per axis (\`scaleCropToOriginal\`, unit-tested in lib/images/crop-geometry.test.ts, with the EXIF/rotation mapping \`toStoredRect\` tested under all 8 orientations × 4 rotations). Here ${JSON.stringify(p.previewRect)} on the preview became ${JSON.stringify(p.originalRect)} on the original, within ${p.mappingErrorPx.toFixed(2)} px of the exact scaled rectangle (whole pixels, kept square); the app's crop of the original and the same rectangle cut from the preview differ by ${p.contentDifference.toFixed(2)}/255 on average (64×64): the same picture.`,
      );
      out.push("");
    }
    out.push("## JavaScript of the wizard pages beyond an empty page");
    out.push("");
    out.push(
      "The empty page is the app's own 404 page (the root layout and Next's built-in not-found, at a URL no route matches, `/_not-found` in the build): every page loads at least that, and no route was added for it. gzip at zlib's default level.",
    );
    out.push("");
    out.push("| route (build manifests) | scripts | raw | gzip | gzip beyond the empty page |");
    out.push("|---|---:|---:|---:|---:|");
    for (const route of [web.manifest.empty, ...web.manifest.wizard]) {
      out.push(`| ${route.route} | ${route.files.length} | ${formatBytes(route.rawBytes)} | ${formatBytes(route.gzipBytes)} | ${formatBytes(route.gzipBytes - web.manifest.empty.gzipBytes)} |`);
    }
    out.push("");
    if (web.browser) {
      if (web.browser.error) out.push(`Chromium measurement not available: ${web.browser.error}`);
      else {
        out.push(`Cross-check in ${web.browser.chromium} (fresh context per page, scripts counted as fetched; "transfer" is what \`next start\` sent, compressed):`);
        out.push("");
        out.push("| page | scripts | transfer | gzip | gzip beyond the empty page |");
        out.push("|---|---:|---:|---:|---:|");
        const empty = web.browser.pages.find((page) => page.page.startsWith("empty"));
        for (const page of web.browser.pages) {
          out.push(`| ${page.page} (${page.url.replace(/[0-9a-f]{32}/, ":uploadId")}) | ${page.scripts} | ${formatBytes(page.transferBytes)} | ${formatBytes(page.gzipBytes)} | ${empty ? formatBytes(page.gzipBytes - empty.gzipBytes) : "–"} |`);
        }
      }
      out.push("");
    }
  }

  out.push("## Reading these figures");
  out.push("");
  out.push(
    "- s3rver is a fake S3 on loopback: no network, but every request costs it a few milliseconds of JavaScript and file I/O on the same two cores. Against a real S3 each round trip costs more (network latency), and the app's 5 sequential steps weigh more; the temporary-file ways make fewer requests (1 GET + 5 PUTs, no history, pointer or cleanup) but wait on the disk.",
  );
  out.push("- Ratios are of medians from the same run; each way saw the same machine noise.");
  out.push(
    "- ImageMagick uses OpenMP threads on both cores for one picture; sharp runs one libvips thread per picture (sharp's default on glibc) and the app runs IMAGE_JOBS_MAX pictures at once. Per operation, ImageMagick thus gets twice the cores the app uses.",
  );
  out.push("");

  const summary = [
    "Targets:",
    ...v.map((verdict) => `  ${verdict.met === undefined ? "?" : verdict.met ? "met   " : "MISSED"}  ${verdict.target}: ${verdict.figure}`),
    "",
    ...ratioTable(results),
  ].join("\n");
  return { markdown: `${out.join("\n")}\n`, summary };
}
