import "server-only";

import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { cropProblem, displayTransform, transformedSize } from "@/lib/images/crop-geometry";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { cropToRenditions, inspectImage } from "@/lib/images/pipeline";
import { thumbHashOf } from "@/lib/images/placeholder-hash";
import { assertRoomForCrop, countCrops } from "@/lib/limits/crops-per-upload";
import { decodeLimits, withImageSlot } from "@/lib/limits/image-jobs";
import { cropKey, newAvatarId, originalKey, RENDITION_SIZES, type RenditionSize } from "@/lib/storage/keys";
import { withDownloadBuffer } from "@/lib/storage/download-buffers";
import { getObjectBytes, headObject, putObject } from "@/lib/storage/objects";

import type { CropResult } from "./api-types";
import { cropUrl } from "./image-urls";
import { PLACEHOLDER_SOURCE_SIZE, THUMB_HASH_METADATA } from "./placeholder-source";
import { displayedSizeFrom } from "./preview-metadata";
import type { CropInput } from "./schemas";
import { checkedFacts } from "./upload-state";

/**
 * Step 2: crop the original (not the preview) so the avatar has every pixel the user chose. The
 * crop is stored as the avatar's renditions, so saving it is copies inside S3 and no image work.
 */
export async function cropUpload(userId: string, uploadId: string, crop: CropInput): Promise<CropResult> {
  const env = getEnv();
  // Only what the finish step learnt is needed (the displayed size): one HEAD of the checked object.
  const checked = checkedFacts(userId, uploadId);
  checked.catch(() => undefined); // awaited in the slot; never an unhandled rejection when the slot is refused
  const cropId = newAvatarId();
  // Each rendition is uploaded as soon as it is encoded: the small ones while the largest encodes.
  const uploads: Promise<void>[] = [];
  const store = (size: RenditionSize, data: Buffer) => {
    // The smallest rendition carries the avatar's placeholder (a ThumbHash), for the save to keep.
    const metadata = size === PLACEHOLDER_SOURCE_SIZE ? thumbHashOf(data).then((thumbHash) => ({ [THUMB_HASH_METADATA]: thumbHash })) : Promise.resolve(undefined);
    const upload = metadata.then((meta) =>
      putObject(cropKey(userId, uploadId, cropId, size), data, { contentType: "image/webp", cacheControl: "private, max-age=3600", metadata: meta }),
    );
    upload.catch(() => undefined); // awaited below, or abandoned with the crop when the job fails
    uploads.push(upload);
  };
  // Downloaded inside the job slot, like in finishUpload: memory is bounded by IMAGE_JOBS_MAX. The
  // download starts while the checked object's HEAD and the count of crops are under way (no round trip
  // more) and is aborted when the upload or the crop turns out not to be usable, so it never
  // outlives the slot.
  await withImageSlot(userId, () => withDownloadBuffer(async (into) => {
    const download = new AbortController();
    const original = getObjectBytes(originalKey(userId, uploadId), env.UPLOAD_MAX_BYTES, { signal: download.signal, into });
    original.catch(() => undefined); // awaited below unless the checks throw first
    // Counted once this user's slot is held, so their earlier crops on this instance are listed.
    const crops = countCrops(userId, uploadId, env.CROPS_PER_UPLOAD);
    crops.catch(() => undefined); // awaited below unless the check of the upload throws first
    try {
      const metadata = await checked;
      if (!metadata) {
        const uploaded = await headObject(originalKey(userId, uploadId));
        throw uploaded ? new AppError("upload_incomplete", "The upload has not been checked yet; please wait for it to finish.") : new AppError("upload_not_found");
      }
      const problem = cropProblem(crop, transformedSize(displayedSizeFrom(metadata), displayTransform(1, crop.rotation)));
      if (problem) throw new AppError("invalid_crop", problem);
      assertRoomForCrop(await crops, env.CROPS_PER_UPLOAD);
    } catch (error) {
      download.abort();
      throw error;
    }
    const bytes = await original;
    if (!bytes) throw new AppError("upload_not_found");
    // The renditions are buffers of their own: `bytes` (a reused buffer) is not needed once the job is over.
    await cropToRenditions(bytes, await inspectImage(bytes, decodeLimits()), crop, decodeLimits(), RENDITION_SIZES, store);
  }));
  const [url] = await Promise.all([cropUrl(userId, uploadId, cropId), ...uploads]);
  return { uploadId, cropId, url };
}

/** A crop made earlier, for the save step's page. */
export async function getCrop(userId: string, uploadId: string, cropId: string): Promise<CropResult> {
  if (!(await headObject(cropKey(userId, uploadId, cropId, CROP_OUTPUT_SIDE)))) throw new AppError("crop_not_found");
  return { uploadId, cropId, url: await cropUrl(userId, uploadId, cropId) };
}
