/**
 * The side-by-side timing: every iteration runs every way on every (input, box) case, the ways in a
 * rotated order (each goes first in turn), so a busy moment of the machine hits all of them alike.
 * Setup a way needs (re-creating the ready upload the app's crop step starts from) is not timed.
 */
import { finishUpload } from "@/lib/avatars/finish-upload";
import { deletePrefix, putObject } from "@/lib/storage/objects";
import { newUploadId, originalKey, uploadPrefix } from "@/lib/storage/keys";

import { makeReadyUpload, type Context, type PreparedInput } from "./context";
import { BOXES, cropBox, type BoxKind } from "./crop-boxes";
import { rotate } from "./stats";
import { WAYS, type Way } from "./ways";
import { appWay, naiveAppWay, type AppResult } from "./ways/app";
import { floorWay, naiveWay } from "./ways/in-memory";
import { articleWay, imagemagickWay } from "./ways/temp-files";

export type CaseKey = `${string}/${BoxKind}`;
export type Samples = {
  /** Milliseconds per operation, by case ("jpeg-24mp/large") and way. */
  crop: Record<CaseKey, Record<Way, number[]>>;
  /** Milliseconds of finishUpload (check + preview + S3), by input. */
  finish: Record<string, number[]>;
};

const caseKey = (input: PreparedInput, box: BoxKind): CaseKey => `${input.spec.id}/${box}`;

async function timeIt(operation: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await operation();
  return performance.now() - started;
}

/** Times an app way up to its answer; what it left for after the answer runs untimed before the next way. */
async function timeApp(operation: () => Promise<AppResult>): Promise<number> {
  let result: AppResult | undefined;
  const ms = await timeIt(async () => (result = await operation()));
  await result?.afterResponse;
  return ms;
}

async function runWay(way: Way, context: Context, input: PreparedInput, box: BoxKind): Promise<number> {
  const crop = cropBox(input.spec, box);
  switch (way) {
    case "app": {
      const uploadId = await makeReadyUpload(context, input);
      return timeApp(() => appWay(context, uploadId, crop));
    }
    case "naiveApp": {
      const uploadId = await makeReadyUpload(context, input);
      return timeApp(() => naiveAppWay(context, uploadId, crop));
    }
    case "floor":
      return timeIt(() => floorWay(input.bytes, crop));
    case "naive":
      return timeIt(() => naiveWay(input.bytes, crop));
    case "article":
      return timeIt(() => articleWay(context, input, crop));
    case "imagemagick":
      return timeIt(() => imagemagickWay(context, input, crop));
  }
}

async function runFinish(context: Context, input: PreparedInput): Promise<number> {
  const uploadId = newUploadId();
  await putObject(originalKey(context.userId, uploadId), input.bytes, { contentType: input.spec.contentType });
  const ms = await timeIt(() => finishUpload(context.userId, uploadId));
  await deletePrefix(uploadPrefix(context.userId, uploadId));
  return ms;
}

export async function runTimed(
  context: Context,
  inputs: PreparedInput[],
  options: { iterations: number; warmup: number; ways?: readonly Way[]; log: (line: string) => void },
): Promise<Samples> {
  const ways = options.ways ?? WAYS;
  const samples: Samples = { crop: {}, finish: {} };
  const cases = inputs.flatMap((input) => BOXES.map((box) => ({ input, box })));
  for (const { input, box } of cases) samples.crop[caseKey(input, box)] = Object.fromEntries(ways.map((way) => [way, []])) as unknown as Record<Way, number[]>;
  for (const input of inputs) samples.finish[input.spec.id] = [];

  const total = options.warmup + options.iterations;
  for (let iteration = 0; iteration < total; iteration++) {
    const timed = iteration >= options.warmup;
    const started = performance.now();
    for (const [index, { input, box }] of rotate(cases, iteration).entries()) {
      for (const way of rotate(ways, iteration + index)) {
        const ms = await runWay(way, context, input, box);
        if (timed) samples.crop[caseKey(input, box)]![way].push(ms);
      }
    }
    for (const input of rotate(inputs, iteration)) {
      const ms = await runFinish(context, input);
      if (timed) samples.finish[input.spec.id]!.push(ms);
    }
    options.log(`  ${timed ? `iteration ${iteration - options.warmup + 1}/${options.iterations}` : "warm-up"}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return samples;
}
