/**
 * A fresh process for one measurement whose answer is the process's own peak memory: the peak RSS
 * of one way on one input, or the throughput and peak RSS of the app at a given concurrency. The
 * parent (bench/run.ts) starts it with the environment of the app under test and reads one JSON
 * line from stdout. S3 (s3rver) is another process and is not counted.
 *
 *   node --conditions=react-server --import tsx bench/probe.ts rss <way> <input id> <box> <repeats>
 *   node --conditions=react-server --import tsx bench/probe.ts concurrency <workers> <input id> <operations>
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { isAppError } from "@/lib/errors";
import type { CropRequest } from "@/lib/images/crop-geometry";

import { processCpuMs } from "./cpu";
import { disposeContext, makeReadyUpload, newContext, type Context, type PreparedInput } from "./context";
import { CONCURRENCY_BOX, cropBox, type BoxKind } from "./crop-boxes";
import { benchUser, inputSpec, loadPreparedInput } from "./prepare";
import { median, p95 } from "./stats";
import { WAYS, type Way } from "./ways";
import { appWay, naiveAppWay } from "./ways/app";
import { floorWay, naiveWay } from "./ways/in-memory";
import { articleWay, CONVERT, convertArguments, imagemagickWay, ONE_THREAD } from "./ways/temp-files";

const run = promisify(execFile);

export type RssResult = { way: Way; input: string; box: BoxKind; baselineRss: number; peakRss: number; note?: string };
export type ConcurrencyResult = {
  workers: number;
  input: string;
  operations: number;
  completed: number;
  rejected429: number;
  wallMs: number;
  perSecond: number;
  latencyMedianMs: number;
  latencyP95Ms: number;
  baselineRss: number;
  peakRss: number;
  jobsMax: number;
  queueMax: number;
  /** CPU time (user + system) over the timed span: this process, and the S3 server's process. */
  appCpuMs: number;
  s3CpuMs?: number;
  /** Set by the parent: which round of the interleaved levels. */
  round?: number;
};

const s3ServerCpuMs = () => processCpuMs(process.env.BENCH_S3_PID);

/**
 * This process's peak RSS: VmHWM from /proc (Linux). Not process.resourceUsage().maxRSS: getrusage
 * keeps the parent's figure across fork + exec, so a child would report the bench's own peak.
 */
function peakRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Peak RSS of GNU time's child: convert's own memory (KB in %M). */
async function convertPeakRss(input: PreparedInput, box: BoxKind, scratch: string, limits: string[]): Promise<number> {
  const original = path.join(scratch, `original.${input.spec.format}`);
  writeFileSync(original, input.bytes);
  const { stderr } = await run("/usr/bin/time", ["-f", "maxrss=%M", CONVERT, ...limits, ...convertArguments(original, cropBox(input.spec, box), (name) => path.join(scratch, name))]);
  const match = /maxrss=(\d+)/.exec(stderr);
  if (!match) throw new Error(`no maxrss in: ${stderr}`);
  return Number(match[1]) * 1024;
}

/** One operation of a way whose pixels are in this process (ImageMagick's are in convert). */
async function runInProcess(way: Exclude<Way, "imagemagick" | "imagemagick1">, context: Context, input: PreparedInput, crop: CropRequest, uploadId: string | undefined): Promise<void> {
  switch (way) {
    case "app":
      return (await appWay(context, uploadId!, crop)).afterResponse;
    case "naiveApp":
      return (await naiveAppWay(context, uploadId!, crop)).afterResponse;
    case "floor":
      return void (await floorWay(input.bytes, crop));
    case "naive":
      return void (await naiveWay(input.bytes, crop));
    case "article":
      return articleWay(context, input, crop);
    default: {
      const unknown: never = way;
      throw new Error(`no peak-RSS run for way ${String(unknown)}`);
    }
  }
}

async function rss(way: Way, inputId: string, box: BoxKind, repeats: number): Promise<RssResult> {
  const input = await loadPreparedInput(inputSpec(inputId));
  const context = newContext(benchUser(`rss-${way}`));
  try {
    const crop = cropBox(input.spec, box);
    const uploads = way === "app" || way === "naiveApp" ? await Promise.all(Array.from({ length: repeats }, () => makeReadyUpload(context, input))) : [];
    if (way === "imagemagick" || way === "imagemagick1") {
      // The Node side only downloads and uploads; the pixels are in convert.
      const threads = way === "imagemagick1" ? 1 : undefined;
      await imagemagickWay(context, input, crop, { threads });
      const baselineRss = process.memoryUsage.rss();
      let peak = 0;
      for (let i = 0; i < repeats; i++) peak = Math.max(peak, await convertPeakRss(input, box, context.scratch, threads ? ONE_THREAD : []));
      return { way, input: inputId, box, baselineRss, peakRss: peak, note: "convert process alone (GNU time %M)" };
    }
    const baselineRss = process.memoryUsage.rss();
    for (let i = 0; i < repeats; i++) await runInProcess(way, context, input, crop, uploads[i]);
    return { way, input: inputId, box, baselineRss, peakRss: peakRss() };
  } finally {
    disposeContext(context);
  }
}

/**
 * `workers` clients, each running crop + save (the app's use cases, job limiter included) on ready
 * uploads until `operations` are done, after one untimed warm-up operation. A refusal (429: the
 * limiter's queue is full) is counted; that client waits 250 ms and takes the next upload.
 */
async function concurrency(workers: number, inputId: string, operations: number): Promise<ConcurrencyResult> {
  const { getEnv } = await import("@/lib/env");
  const input = await loadPreparedInput(inputSpec(inputId));
  const context = newContext(benchUser(`concurrency-${workers}`));
  try {
    const crop = cropBox(input.spec, CONCURRENCY_BOX);
    // One untimed operation first: JIT, libvips start-up and the S3 connection are not counted.
    await (await appWay(context, await makeReadyUpload(context, input), crop)).afterResponse;
    const uploads: string[] = [];
    for (let i = 0; i < operations; i++) uploads.push(await makeReadyUpload(context, input));
    const baselineRss = process.memoryUsage.rss();
    const latencies: number[] = [];
    // The cleanups saves leave for after their answer run alongside, as in a server; the clock
    // stops only when they are done too, so the figure includes that work.
    const afterResponses: Promise<void>[] = [];
    let rejected = 0;
    let next = 0;
    const cpuBefore = process.cpuUsage();
    const s3Before = s3ServerCpuMs();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < uploads.length) {
          const uploadId = uploads[next++]!;
          const t0 = performance.now();
          try {
            const { afterResponse } = await appWay(context, uploadId, crop);
            latencies.push(performance.now() - t0);
            afterResponses.push(afterResponse);
          } catch (error) {
            if (!isAppError(error) || error.code !== "rate_limited") throw error;
            rejected += 1;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
      }),
    );
    await Promise.all(afterResponses);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const s3After = s3ServerCpuMs();
    return {
      workers,
      input: inputId,
      operations,
      completed: latencies.length,
      rejected429: rejected,
      wallMs,
      perSecond: (latencies.length / wallMs) * 1000,
      latencyMedianMs: median(latencies),
      latencyP95Ms: p95(latencies),
      baselineRss,
      peakRss: peakRss(),
      jobsMax: getEnv().IMAGE_JOBS_MAX,
      queueMax: getEnv().IMAGE_QUEUE_MAX,
      appCpuMs: (cpu.user + cpu.system) / 1000,
      s3CpuMs: s3Before !== undefined && s3After !== undefined ? s3After - s3Before : undefined,
    };
  } finally {
    disposeContext(context);
  }
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  let result: unknown;
  if (mode === "rss") {
    const [way, inputId, box, repeats] = args;
    if (!WAYS.includes(way as Way) || (box !== "small" && box !== "large")) throw new Error(`usage: rss <${WAYS.join("|")}> <input> <small|large> <n>`);
    result = await rss(way as Way, inputId!, box, Number(repeats ?? 3));
  } else if (mode === "concurrency") {
    const [workers, inputId, operations] = args;
    result = await concurrency(Number(workers), inputId!, Number(operations));
  } else {
    throw new Error("usage: probe.ts rss|concurrency ...");
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
