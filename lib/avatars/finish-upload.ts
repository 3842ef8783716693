import "server-only";

import { getEnv } from "@/lib/env";
import { AppError, type ErrorCode } from "@/lib/errors";
import { attentionSquare } from "@/lib/images/attention-crop";
import { previewSizeOf } from "@/lib/images/formats";
import { decodeForAnalysis, inspectImage, makePreview, type RawPixels } from "@/lib/images/pipeline";
import { decodeLimits, withImageSlot } from "@/lib/limits/image-jobs";
import { scaleSquare } from "@/lib/images/suggested-crop";
import { checkedKey, originalKey, previewKey, uploadPrefix } from "@/lib/storage/keys";
import { withDownloadBuffer } from "@/lib/storage/download-buffers";
import { deletePrefix, getObjectBytes, putObject } from "@/lib/storage/objects";

import type { ReadyUpload } from "./api-types";
import { lazyPreviewUrl, previewUrl } from "./image-urls";
import { toPreviewMetadata, type UploadFacts } from "./preview-metadata";
import { PREVIEW_PUT, readyUpload } from "./upload-state";

const REJECTED_FILE = new Set<ErrorCode>(["file_too_large", "not_an_image", "image_too_large", "corrupt_image", "image_too_slow"]);

export type FinishOptions = {
  /**
   * The browser shows its own copy of the picture (the early crop step): no preview is made now,
   * only on the first request that needs one (a reload, another device). See upload-state.ts.
   */
  previewInBrowser?: boolean;
};

/**
 * Called by the browser once S3 accepted its POST. Re-checks everything an S3 that ignores POST
 * policies would let through (size, real type, pixel count, completeness); a file that fails is
 * deleted, so nothing half-usable is left behind. What it learnt is stored on the `checked` object
 * (and on the preview when one is made). Idempotent: a retry checks again and writes the same
 * objects, so no HEAD first (a retry is rare; a HEAD on every finish is not).
 */
export async function finishUpload(userId: string, uploadId: string, options: FinishOptions = {}): Promise<ReadyUpload> {
  const env = getEnv();
  const key = originalKey(userId, uploadId);
  try {
    // The original is downloaded inside the job slot: only running jobs hold one (up to
    // UPLOAD_MAX_BYTES each), so IMAGE_JOBS_MAX bounds this instance's memory however many wait.
    // One GET and no HEAD before it: getObjectBytes checks the announced length before reading a byte.
    const { facts, preview } = await withImageSlot(userId, () => withDownloadBuffer(async (into) => {
      const bytes = await getObjectBytes(key, env.UPLOAD_MAX_BYTES, { into });
      if (!bytes) throw new AppError("upload_not_found", "We did not receive that upload. Please upload the picture again.");
      if (bytes.length === 0) throw new AppError("not_an_image", "The file is empty.");
      const image = await inspectImage(bytes, decodeLimits());
      const made = options.previewInBrowser ? undefined : await makePreview(bytes, decodeLimits());
      // Either way every pixel was decoded (the check), and the subject is looked for on a small
      // upright copy: the preview's pixels when there is one, else a cheaper decode made for it.
      const pixels: RawPixels = made?.pixels ?? (await decodeForAnalysis(bytes, decodeLimits()));
      const suggested = scaleSquare(await attentionSquare(pixels), pixels, image.displayed);
      const facts: UploadFacts = { displayed: image.displayed, format: image.format, bytes: bytes.length, preview: made?.size ?? previewSizeOf(image.displayed), suggested };
      // Nothing returned refers to `bytes`: its buffer is reused once this job is over.
      return { facts, preview: made?.data };
    }));
    const metadata = toPreviewMetadata(facts);
    await Promise.all([
      preview && putObject(previewKey(userId, uploadId), preview, { ...PREVIEW_PUT, metadata }),
      putObject(checkedKey(userId, uploadId), "", { contentType: "application/octet-stream", metadata }),
    ]);
    // What was just written is the state: no need to read it back from S3. Without a preview, its
    // URL is the app's, which makes it when something asks for it.
    return readyUpload(uploadId, metadata, preview ? await previewUrl(userId, uploadId) : lazyPreviewUrl(uploadId));
  } catch (error) {
    // Only a file that is itself bad is deleted; "busy" or "storage down" leaves it for a retry.
    if (error instanceof AppError && REJECTED_FILE.has(error.code)) await deletePrefix(uploadPrefix(userId, uploadId));
    throw error;
  }
}
