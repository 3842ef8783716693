/**
 * What the app's CPU beyond its floor is made of: the CPU this process spends on each kind of S3
 * call a crop + save makes, one call at a time, against the same S3 in the same run, and on a plain
 * `http.get` of the same original (a presigned URL, no SDK) as the reference for what reading those
 * bytes costs Node itself. Each repetition makes every call once, in turn, so a busy moment hits
 * them alike. The report multiplies each by how many a crop + save makes and sets the sum beside
 * the measured app − floor.
 */
import http from "node:http";

import { withDownloadBuffer } from "@/lib/storage/download-buffers";
import { copyObject, deleteObjects, getObjectBytes, headObject, listKeys, presignGet, putObject } from "@/lib/storage/objects";
import { originalKey } from "@/lib/storage/keys";

import { makeReadyUpload, type Context, type PreparedInput } from "./context";
import { ownCpuMs } from "./cpu";

/** The input the calls are measured with: the one the CPU targets are stated for. */
export const REQUEST_COSTS_INPUT = "jpeg-24mp";

export type RequestCall = "getOriginal" | "plainGetOriginal" | "head" | "list" | "putSmall" | "copy" | "deleteMany" | "presign";

/** CPU ms of this process per call, one sample per repetition. */
export type RequestCosts = { input: string; originalBytes: number; smallBytes: number; samples: Record<RequestCall, number[]> };

/** How many of each call one crop + save makes (lib/avatars/crop.ts, save.ts, its cleanup). */
export const CALLS_PER_CROP_AND_SAVE: Record<Exclude<RequestCall, "plainGetOriginal">, number> = {
  getOriginal: 1, // the crop's download
  head: 2, // the preview's metadata; the placeholder read by the save
  list: 2, // the count of the upload's crops; the cleanup's listing
  putSmall: 6, // the renditions, the history record, the pointer
  copy: 4, // the renditions into the avatar
  deleteMany: 1, // the cleanup
  presign: 5, // the crop's URL, the avatar's four
};

/** A rendition's size: the PUT sample is an object that large. */
const SMALL_BYTES = 30 * 1024;

function plainGet(url: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        let total = 0;
        response.on("data", (chunk: Buffer) => void (total += chunk.length));
        response.once("end", () => resolve(total));
        response.once("error", reject);
      })
      .once("error", reject);
  });
}

export async function measureRequestCosts(context: Context, input: PreparedInput, options: { repetitions: number; maxBytes: number }): Promise<RequestCosts> {
  const uploadId = await makeReadyUpload(context, input);
  const key = originalKey(context.userId, uploadId);
  const scratch = `bench-calls/${context.userId}`;
  const small = Buffer.alloc(SMALL_BYTES, 7);
  const agent = new http.Agent({ keepAlive: true });
  const url = await presignGet(key, { expiresIn: 3600 });
  let n = 0;
  const calls: Record<RequestCall, () => Promise<unknown>> = {
    getOriginal: () => withDownloadBuffer((into) => getObjectBytes(key, options.maxBytes, { into })), // as the app downloads it
    plainGetOriginal: () => plainGet(url, agent),
    head: () => headObject(key),
    list: () => listKeys(`${scratch}/`),
    putSmall: () => putObject(`${scratch}/put-${n}`, small, { contentType: "image/webp" }),
    copy: () => copyObject(`${scratch}/put-${n}`, `${scratch}/copy-${n}`, { contentType: "image/webp" }),
    deleteMany: () => deleteObjects([`${scratch}/put-${n}`, `${scratch}/copy-${n}`]),
    presign: () => presignGet(`${scratch}/copy-${n}`, { expiresIn: 900, contentType: "image/webp" }),
  };
  const samples = Object.fromEntries(Object.keys(calls).map((call) => [call, [] as number[]])) as Record<RequestCall, number[]>;
  try {
    for (let repetition = -1; repetition < options.repetitions; repetition++) {
      n = repetition + 1;
      for (const [call, run] of Object.entries(calls) as [RequestCall, () => Promise<unknown>][]) {
        const before = ownCpuMs();
        await run();
        if (repetition >= 0) samples[call].push(ownCpuMs() - before); // the first round warms up
      }
    }
  } finally {
    agent.destroy();
  }
  return { input: input.spec.id, originalBytes: input.bytes.length, smallBytes: SMALL_BYTES, samples };
}
