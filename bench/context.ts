/** What every way works with: a prepared input, a bench user and a scratch folder, and the ready uploads the app's ways start from. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { newUploadId, originalKey, previewKey } from "@/lib/storage/keys";
import { putObject } from "@/lib/storage/objects";

import type { InputSpec } from "./inputs";

/** The app's preview of an input and the metadata finishUpload stored with it, so a ready upload can be re-created cheaply. */
export type PreparedInput = {
  spec: InputSpec;
  bytes: Buffer;
  preview: Buffer;
  previewMetadata: Record<string, string>;
  /** Key of a copy of the original the temporary-file ways download. */
  sourceKey: string;
};

export type Context = { userId: string; scratch: string };

export function newContext(userId: string): Context {
  return { userId, scratch: mkdtempSync(path.join(tmpdir(), "avatar-relay-bench-files-")) };
}

export function disposeContext(context: Context): void {
  rmSync(context.scratch, { recursive: true, force: true });
}

/** A ready upload (original + preview with its metadata), as finishUpload leaves it; not timed. */
export async function makeReadyUpload(context: Context, input: PreparedInput): Promise<string> {
  const uploadId = newUploadId();
  await Promise.all([
    putObject(originalKey(context.userId, uploadId), input.bytes, { contentType: input.spec.contentType }),
    putObject(previewKey(context.userId, uploadId), input.preview, { contentType: "image/webp", metadata: input.previewMetadata }),
  ]);
  return uploadId;
}
