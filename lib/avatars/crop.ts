import "server-only";

import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { cropProblem, displayTransform, transformedSize } from "@/lib/images/crop-geometry";
import { withImageSlot } from "@/lib/images/image-jobs";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { cropToRenditions, inspectImage } from "@/lib/images/pipeline";
import { cropKey, newAvatarId, originalKey, previewKey, RENDITION_SIZES, type RenditionSize } from "@/lib/storage/keys";
import { getObjectBytes, headObject, putObject } from "@/lib/storage/objects";

import type { CropResult } from "./api-types";
import { cropUrl } from "./image-urls";
import { displayedSizeFrom } from "./preview-metadata";
import type { CropInput } from "./schemas";

/**
 * Step 2: crop the original (not the preview) so the avatar has every pixel the user chose. The
 * crop is stored as the avatar's renditions, so saving it is copies inside S3 and no image work.
 */
export async function cropUpload(userId: string, uploadId: string, crop: CropInput): Promise<CropResult> {
  const env = getEnv();
  // Only the preview's metadata is needed (the displayed size), not a URL to show it.
  const preview = headObject(previewKey(userId, uploadId));
  preview.catch(() => undefined); // awaited in the slot; never an unhandled rejection when the slot is refused
  const cropId = newAvatarId();
  // Each rendition is uploaded as soon as it is encoded: the small ones while the largest encodes.
  const uploads: Promise<void>[] = [];
  const store = (size: RenditionSize, data: Buffer) => {
    const upload = putObject(cropKey(userId, uploadId, cropId, size), data, { contentType: "image/webp", cacheControl: "private, max-age=3600" });
    upload.catch(() => undefined); // awaited below, or abandoned with the crop when the job fails
    uploads.push(upload);
  };
  // Downloaded inside the job slot, like in finishUpload: memory is bounded by IMAGE_JOBS_MAX. The
  // download starts while the preview's HEAD is under way (one round trip less) and is aborted
  // when the upload or the crop turns out not to be usable, so it never outlives the slot.
  await withImageSlot(userId, async () => {
    const download = new AbortController();
    const original = getObjectBytes(originalKey(userId, uploadId), env.UPLOAD_MAX_BYTES, download.signal);
    original.catch(() => undefined); // awaited below unless the checks throw first
    try {
      const metadata = (await preview)?.metadata;
      if (!metadata) {
        const uploaded = await headObject(originalKey(userId, uploadId));
        throw uploaded ? new AppError("upload_incomplete", "The upload has not been checked yet; please wait for it to finish.") : new AppError("upload_not_found");
      }
      const problem = cropProblem(crop, transformedSize(displayedSizeFrom(metadata), displayTransform(1, crop.rotation)));
      if (problem) throw new AppError("invalid_crop", problem);
    } catch (error) {
      download.abort();
      throw error;
    }
    const bytes = await original;
    if (!bytes) throw new AppError("upload_not_found");
    await cropToRenditions(bytes, await inspectImage(bytes, env.IMAGE_MAX_PIXELS), crop, env.IMAGE_MAX_PIXELS, RENDITION_SIZES, store);
  });
  const [url] = await Promise.all([cropUrl(userId, uploadId, cropId), ...uploads]);
  return { uploadId, cropId, url };
}

/** A crop made earlier, for the save step's page. */
export async function getCrop(userId: string, uploadId: string, cropId: string): Promise<CropResult> {
  if (!(await headObject(cropKey(userId, uploadId, cropId, CROP_OUTPUT_SIDE)))) throw new AppError("crop_not_found");
  return { uploadId, cropId, url: await cropUrl(userId, uploadId, cropId) };
}
