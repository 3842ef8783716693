import "server-only";

import { AppError } from "@/lib/errors";
import { decodeLimits, withImageSlot } from "@/lib/limits/image-jobs";
import { makePreview } from "@/lib/images/pipeline";
import { getEnv } from "@/lib/env";
import { checkedKey, originalKey, previewKey } from "@/lib/storage/keys";
import { withDownloadBuffer } from "@/lib/storage/download-buffers";
import { getObjectBytes, headObject, putObject, type PutOptions } from "@/lib/storage/objects";

import type { ReadyUpload, UploadState } from "./api-types";
import { previewUrl } from "./image-urls";
import { factsFromPreviewMetadata, toPreviewMetadata } from "./preview-metadata";

/** How far an upload got, read from S3 alone: a reload, or another instance, continues from here. */

/** How every preview is stored (its metadata: the upload's facts). */
export const PREVIEW_PUT: PutOptions = { contentType: "image/webp", cacheControl: "private, max-age=3600" };

/** The state of a checked upload, from the metadata its `checked` object or its preview holds. */
export function readyUpload(uploadId: string, metadata: Record<string, string>, url: string): ReadyUpload {
  const facts = factsFromPreviewMetadata(metadata);
  return {
    uploadId,
    status: "ready",
    displayed: facts.displayed,
    format: facts.format,
    bytes: facts.bytes,
    preview: { url, width: facts.preview.width, height: facts.preview.height },
    ...(facts.suggested && { suggestedCrop: facts.suggested }),
  };
}

/**
 * What the finish step learnt about an upload, or null when it has not checked it (yet). Uploads
 * checked before the `checked` object existed have the same metadata on their preview.
 */
export async function checkedFacts(userId: string, uploadId: string): Promise<Record<string, string> | null> {
  const checked = await headObject(checkedKey(userId, uploadId));
  if (checked) return checked.metadata;
  return (await headObject(previewKey(userId, uploadId)))?.metadata ?? null;
}

/**
 * The preview of a checked upload whose finish did not make one (the browser showed its own
 * copy), made on the first request that needs it: a reload, or the same wizard on another device.
 * Returns the preview's metadata. Two requests at once both make it: the same bytes, written twice.
 */
async function makeLazyPreview(userId: string, uploadId: string, facts: Record<string, string>): Promise<Record<string, string>> {
  const made = await withImageSlot(userId, () => withDownloadBuffer(async (into) => {
    const bytes = await getObjectBytes(originalKey(userId, uploadId), getEnv().UPLOAD_MAX_BYTES, { into });
    if (!bytes) throw new AppError("upload_not_found");
    const { data, size } = await makePreview(bytes, decodeLimits());
    return { data, size };
  }));
  const metadata = toPreviewMetadata({ ...factsFromPreviewMetadata(facts), preview: made.size });
  await putObject(previewKey(userId, uploadId), made.data, { ...PREVIEW_PUT, metadata });
  return metadata;
}

/**
 * The upload's state for a page or GET /api/uploads/:id: a preview to show when it was checked
 * (made now if the finish step left it to the first request that needs it), "uploaded" when it is
 * in S3 but not checked yet.
 */
export async function getUploadState(userId: string, uploadId: string): Promise<UploadState> {
  const preview = await headObject(previewKey(userId, uploadId));
  if (preview) return readyUpload(uploadId, preview.metadata, await previewUrl(userId, uploadId));
  const checked = await headObject(checkedKey(userId, uploadId));
  if (checked) {
    const metadata = await makeLazyPreview(userId, uploadId, checked.metadata);
    return readyUpload(uploadId, metadata, await previewUrl(userId, uploadId));
  }
  if (await headObject(originalKey(userId, uploadId))) return { uploadId, status: "uploaded" };
  throw new AppError("upload_not_found");
}

/** The preview's URL once the upload is checked (made now if needed); 409 before the check. */
export async function checkedPreviewUrl(userId: string, uploadId: string): Promise<string> {
  const state = await getUploadState(userId, uploadId);
  if (state.status !== "ready") throw new AppError("upload_incomplete", "The upload has not been checked yet; please wait for it to finish.");
  return state.preview.url;
}
