import "server-only";

import { getEnv } from "@/lib/env";
import { AppError, type ErrorCode } from "@/lib/errors";
import { attentionSquare } from "@/lib/images/attention-crop";
import { decodeLimits, withImageSlot } from "@/lib/limits/image-jobs";
import { inspectImage, makePreview } from "@/lib/images/pipeline";
import { scaleSquare } from "@/lib/images/suggested-crop";
import { originalKey, previewKey, uploadPrefix } from "@/lib/storage/keys";
import { withDownloadBuffer } from "@/lib/storage/download-buffers";
import { deletePrefix, getObjectBytes, putObject } from "@/lib/storage/objects";

import type { ReadyUpload } from "./api-types";
import { toPreviewMetadata } from "./preview-metadata";
import { readyState, readyUpload } from "./upload-state";

const REJECTED_FILE = new Set<ErrorCode>(["file_too_large", "not_an_image", "image_too_large", "corrupt_image", "image_too_slow"]);

/**
 * Called by the browser once S3 accepted its POST. Re-checks everything an S3 that ignores POST
 * policies would let through (size, real type, pixel count, completeness); a file that fails is
 * deleted, so nothing half-usable is left behind. Idempotent: a retry returns the same state.
 */
export async function finishUpload(userId: string, uploadId: string): Promise<ReadyUpload> {
  const existing = await readyState(userId, uploadId);
  if (existing) return existing;

  const env = getEnv();
  const key = originalKey(userId, uploadId);
  try {
    // The original is downloaded inside the job slot: only running jobs hold one (up to
    // UPLOAD_MAX_BYTES each), so IMAGE_JOBS_MAX bounds this instance's memory however many wait.
    // One GET and no HEAD before it: getObjectBytes checks the announced length before reading a byte.
    const { size, image, preview, suggested } = await withImageSlot(userId, () => withDownloadBuffer(async (into) => {
      const bytes = await getObjectBytes(key, env.UPLOAD_MAX_BYTES, { into });
      if (!bytes) throw new AppError("upload_not_found", "We did not receive that upload. Please upload the picture again.");
      if (bytes.length === 0) throw new AppError("not_an_image", "The file is empty.");
      const image = await inspectImage(bytes, decodeLimits());
      const preview = await makePreview(bytes, decodeLimits());
      // On the preview's pixels, not the original: a 128 px analysis of it, whatever the original's size.
      const suggested = scaleSquare(await attentionSquare(preview.pixels), preview.size, image.displayed);
      // Nothing returned refers to `bytes`: its buffer is reused once this job is over.
      return { size: bytes.length, image, preview: { data: preview.data, size: preview.size }, suggested };
    }));
    const metadata = toPreviewMetadata({ displayed: image.displayed, format: image.format, bytes: size, preview: preview.size, suggested });
    await putObject(previewKey(userId, uploadId), preview.data, { contentType: "image/webp", cacheControl: "private, max-age=3600", metadata });
    // What was just written is the state: no need to read it back from S3.
    return await readyUpload(userId, uploadId, metadata);
  } catch (error) {
    // Only a file that is itself bad is deleted; "busy" or "storage down" leaves it for a retry.
    if (error instanceof AppError && REJECTED_FILE.has(error.code)) await deletePrefix(uploadPrefix(userId, uploadId));
    throw error;
  }
}
