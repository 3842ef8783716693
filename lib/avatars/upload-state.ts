import "server-only";

import { AppError } from "@/lib/errors";
import { originalKey, previewKey } from "@/lib/storage/keys";
import { headObject } from "@/lib/storage/objects";

import type { ReadyUpload, UploadState } from "./api-types";
import { previewUrl } from "./image-urls";
import { factsFromPreviewMetadata } from "./preview-metadata";

/** How far an upload got, read from S3 alone: a reload, or another instance, continues from here. */

/** The state of a checked upload, from the metadata its preview was written with. */
export async function readyUpload(userId: string, uploadId: string, metadata: Record<string, string>): Promise<ReadyUpload> {
  const facts = factsFromPreviewMetadata(metadata);
  return {
    uploadId,
    status: "ready",
    displayed: facts.displayed,
    format: facts.format,
    bytes: facts.bytes,
    preview: { url: await previewUrl(userId, uploadId), width: facts.preview.width, height: facts.preview.height },
    ...(facts.suggested && { suggestedCrop: facts.suggested }),
  };
}

/** The upload's state if the finish step checked it (its preview exists), otherwise null. */
export async function readyState(userId: string, uploadId: string): Promise<ReadyUpload | null> {
  const preview = await headObject(previewKey(userId, uploadId));
  return preview ? readyUpload(userId, uploadId, preview.metadata) : null;
}

export async function getUploadState(userId: string, uploadId: string): Promise<UploadState> {
  const ready = await readyState(userId, uploadId);
  if (ready) return ready;
  if (await headObject(originalKey(userId, uploadId))) return { uploadId, status: "uploaded" };
  throw new AppError("upload_not_found");
}
