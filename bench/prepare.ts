/** Puts the inputs in S3 and runs the real finishUpload once per input, keeping its preview for re-use. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { userIdFor } from "@/lib/auth/user-id";
import { finishUpload } from "@/lib/avatars/finish-upload";
import { getEnv } from "@/lib/env";
import { applyBucketSetup, bucketTargetFromEnv } from "@/tools/bucket/bucket-setup";
import { newUploadId, originalKey, previewKey } from "@/lib/storage/keys";
import { getObjectBytes, headObject, putObject } from "@/lib/storage/objects";

import { INPUTS, loadInput, type InputSpec } from "./inputs";
import type { PreparedInput } from "./context";

export const BENCH_TMP = path.resolve(path.dirname(new URL(import.meta.url).pathname), "tmp");
export const INPUT_CACHE = path.join(BENCH_TMP, "inputs");

export async function ensureBucket(): Promise<void> {
  await applyBucketSetup(bucketTargetFromEnv());
}

export const benchUser = (name: string) => userIdFor(getEnv().AUTH_USER_ID_KEY, { provider: "bench", issuer: "urn:avatar-relay:bench", subject: `${name}-${process.pid}` });

export function inputSpec(id: string): InputSpec {
  const spec = INPUTS.find((input) => input.id === id);
  if (!spec) throw new Error(`unknown input ${id}`);
  return spec;
}

/** Where a prepared input's preview is kept for child processes (bench/tmp, git-ignored). */
const previewFile = (id: string) => path.join(BENCH_TMP, "previews", `${id}.json`);

export async function prepareInput(spec: InputSpec, userId: string): Promise<PreparedInput> {
  const bytes = await loadInput(spec, INPUT_CACHE);
  const uploadId = newUploadId();
  await putObject(originalKey(userId, uploadId), bytes, { contentType: spec.contentType });
  await finishUpload(userId, uploadId);
  const head = await headObject(previewKey(userId, uploadId));
  const preview = await getObjectBytes(previewKey(userId, uploadId), 16 * 1024 * 1024);
  if (!head || !preview) throw new Error(`no preview for ${spec.id}`);
  const sourceKey = `bench-src/${spec.id}`;
  await putObject(sourceKey, bytes, { contentType: spec.contentType });
  mkdirSync(path.dirname(previewFile(spec.id)), { recursive: true });
  writeFileSync(previewFile(spec.id), JSON.stringify({ metadata: head.metadata, preview: preview.toString("base64"), sourceKey }));
  return { spec, bytes, preview, previewMetadata: head.metadata, sourceKey };
}

/** In a child process: the input as the parent prepared it (the S3 objects are already there). */
export async function loadPreparedInput(spec: InputSpec): Promise<PreparedInput> {
  const file = previewFile(spec.id);
  if (!existsSync(file)) throw new Error(`${file} is missing: the parent prepares inputs first`);
  const saved = JSON.parse(readFileSync(file, "utf8")) as { metadata: Record<string, string>; preview: string; sourceKey: string };
  return { spec, bytes: await loadInput(spec, INPUT_CACHE), preview: Buffer.from(saved.preview, "base64"), previewMetadata: saved.metadata, sourceKey: saved.sourceKey };
}
