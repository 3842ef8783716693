/**
 * The side-by-side timing: every iteration runs every way on every (input, box) case, the ways in a
 * rotated order (each goes first in turn), so a busy moment of the machine hits all of them alike.
 * Setup a way needs (re-creating the ready upload the app's crop step starts from) is not timed.
 * Beside each time, the CPU it cost: this process's (the app's code, libvips threads included) up
 * to the end of the work the operation left for after its answer, and the S3 server's, apart.
 */
import { finishUpload } from "@/lib/avatars/finish-upload";
import { deleteAvatar } from "@/lib/avatars/history";
import { deletePrefix, putObject } from "@/lib/storage/objects";
import { newUploadId, originalKey, uploadPrefix } from "@/lib/storage/keys";

import { makeReadyUpload, type Context, type PreparedInput } from "./context";
import { measureCpu } from "./cpu";
import { BOXES, cropBox, type BoxKind } from "./crop-boxes";
import { rotate } from "./stats";
import { wayRunsOn, WAYS, type Way } from "./ways";
import { appWay, naiveAppWay, type AppResult } from "./ways/app";
import { finishFloorWay, floorWay, naiveWay } from "./ways/in-memory";
import { articleWay, imagemagickWay } from "./ways/temp-files";

export type CaseKey = `${string}/${BoxKind}`;
/** CPU milliseconds per operation: this process's (the app's side) and the S3 server's. */
export type CpuSamples = { app: number[]; s3: number[] };
export type Samples = {
  /** Milliseconds per operation, by case ("jpeg-24mp/large") and way. */
  crop: Record<CaseKey, Record<Way, number[]>>;
  /** Milliseconds of finishUpload (check + preview + S3), by input. */
  finish: Record<string, number[]>;
  /** CPU per crop + save, by case and way (absent in results from before it was measured). */
  cropCpu?: Record<CaseKey, Partial<Record<Way, CpuSamples>>>;
  /** CPU of finishUpload, and its in-memory floor's time and CPU (inspectImage + makePreview), by input. */
  finishCpu?: Record<string, CpuSamples>;
  finishFloor?: Record<string, number[]>;
  finishFloorCpu?: Record<string, CpuSamples>;
};

type Measured = { ms: number; appCpuMs: number; s3CpuMs?: number };

const newCpuSamples = (): CpuSamples => ({ app: [], s3: [] });

function pushCpu(samples: CpuSamples, measured: Measured) {
  samples.app.push(measured.appCpuMs);
  if (measured.s3CpuMs !== undefined) samples.s3.push(measured.s3CpuMs);
}

const caseKey = (input: PreparedInput, box: BoxKind): CaseKey => `${input.spec.id}/${box}`;

let s3Pid: number | undefined;

async function timeIt(operation: () => Promise<unknown>): Promise<Measured> {
  let ms = 0;
  const cpu = await measureCpu(s3Pid, async () => {
    const started = performance.now();
    await operation();
    ms = performance.now() - started;
  });
  return { ms, appCpuMs: cpu.appCpuMs, s3CpuMs: cpu.s3CpuMs };
}

/**
 * Times an app way up to its answer; what it left for after the answer runs untimed before the
 * next way. Its CPU counts that work too: the app does it for this operation.
 */
async function timeApp(userId: string, operation: () => Promise<AppResult>): Promise<Measured> {
  let ms = 0;
  let avatarId = "";
  const cpu = await measureCpu(s3Pid, async () => {
    const started = performance.now();
    const result = await operation();
    ms = performance.now() - started;
    avatarId = result.avatarId;
    await result.afterResponse;
  });
  // Untimed: the bench user keeps the short history a real user has (each save lists it, and
  // AVATARS_PER_USER refuses the 101st), however many runs the bench makes.
  await deleteAvatar(userId, avatarId);
  return { ms, appCpuMs: cpu.appCpuMs, s3CpuMs: cpu.s3CpuMs };
}

async function runWay(way: Way, context: Context, input: PreparedInput, box: BoxKind): Promise<Measured> {
  const crop = cropBox(input.spec, box);
  switch (way) {
    case "app": {
      const uploadId = await makeReadyUpload(context, input);
      return timeApp(context.userId, () => appWay(context, uploadId, crop));
    }
    case "naiveApp": {
      const uploadId = await makeReadyUpload(context, input);
      return timeApp(context.userId, () => naiveAppWay(context, uploadId, crop));
    }
    case "floor":
      return timeIt(() => floorWay(input.bytes, crop));
    case "naive":
      return timeIt(() => naiveWay(input.bytes, crop));
    case "article":
      return timeIt(() => articleWay(context, input, crop));
    case "imagemagick":
      return timeIt(() => imagemagickWay(context, input, crop));
    case "imagemagick1":
      return timeIt(() => imagemagickWay(context, input, crop, { threads: 1 }));
  }
}

async function runFinish(context: Context, input: PreparedInput): Promise<Measured> {
  const uploadId = newUploadId();
  await putObject(originalKey(context.userId, uploadId), input.bytes, { contentType: input.spec.contentType });
  const measured = await timeIt(() => finishUpload(context.userId, uploadId));
  await deletePrefix(uploadPrefix(context.userId, uploadId));
  return measured;
}

export async function runTimed(
  context: Context,
  inputs: PreparedInput[],
  options: { iterations: number; warmup: number; ways?: readonly Way[]; s3Pid?: number; log: (line: string) => void },
): Promise<Samples> {
  const ways = options.ways ?? WAYS;
  s3Pid = options.s3Pid;
  const samples: Required<Samples> = { crop: {}, finish: {}, cropCpu: {}, finishCpu: {}, finishFloor: {}, finishFloorCpu: {} };
  const cases = inputs.flatMap((input) => BOXES.map((box) => ({ input, box })));
  const waysOn = (input: PreparedInput) => ways.filter((way) => wayRunsOn(way, input.spec.id));
  for (const { input, box } of cases) {
    samples.crop[caseKey(input, box)] = Object.fromEntries(waysOn(input).map((way) => [way, []])) as unknown as Record<Way, number[]>;
    samples.cropCpu[caseKey(input, box)] = Object.fromEntries(waysOn(input).map((way) => [way, newCpuSamples()]));
  }
  for (const input of inputs) {
    samples.finish[input.spec.id] = [];
    samples.finishCpu[input.spec.id] = newCpuSamples();
    samples.finishFloor[input.spec.id] = [];
    samples.finishFloorCpu[input.spec.id] = newCpuSamples();
  }

  const total = options.warmup + options.iterations;
  for (let iteration = 0; iteration < total; iteration++) {
    const timed = iteration >= options.warmup;
    const started = performance.now();
    for (const [index, { input, box }] of rotate(cases, iteration).entries()) {
      for (const way of rotate(waysOn(input), iteration + index)) {
        const measured = await runWay(way, context, input, box);
        if (!timed) continue;
        samples.crop[caseKey(input, box)]![way].push(measured.ms);
        pushCpu(samples.cropCpu[caseKey(input, box)]![way]!, measured);
      }
    }
    for (const input of rotate(inputs, iteration)) {
      // finishUpload and its in-memory floor, in turn first.
      const pair = [
        async () => {
          const measured = await runFinish(context, input);
          if (!timed) return;
          samples.finish[input.spec.id]!.push(measured.ms);
          pushCpu(samples.finishCpu[input.spec.id]!, measured);
        },
        async () => {
          const measured = await timeIt(() => finishFloorWay(input.bytes));
          if (!timed) return;
          samples.finishFloor[input.spec.id]!.push(measured.ms);
          pushCpu(samples.finishFloorCpu[input.spec.id]!, measured);
        },
      ];
      for (const step of rotate(pair, iteration)) await step();
    }
    options.log(`  ${timed ? `iteration ${iteration - options.warmup + 1}/${options.iterations}` : "warm-up"}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return samples;
}
