import "server-only";

import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { cropProblem, displayTransform, transformedSize } from "@/lib/images/crop-geometry";
import { decodeLimits, withImageSlot } from "@/lib/images/image-jobs";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { cropToRenditions, inspectImage } from "@/lib/images/pipeline";
import { thumbHashOf } from "@/lib/images/placeholder-hash";
import { cropIdFromCropKey, cropKey, cropsPrefix, newAvatarId, originalKey, RENDITION_SIZES, type RenditionSize } from "@/lib/storage/keys";
import { withDownloadBuffer } from "@/lib/storage/download-buffers";
import { getObjectBytes, headObject, listKeys, putObject } from "@/lib/storage/objects";

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
      if ((await crops) >= env.CROPS_PER_UPLOAD) {
        throw new AppError(
          "crop_limit_reached",
          `You have cropped this picture ${env.CROPS_PER_UPLOAD} times, the most one upload allows. Go back to save one of those crops, or upload the picture again to keep cropping.`,
        );
      }
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

/**
 * The crops an upload has, whichever instance made them: S3 is the only place that knows, so the
 * crops prefix is listed (four renditions per crop; a crop with any rendition counts). Crops made
 * at the same moment on other instances may not be listed yet, so a burst across instances can
 * pass the bound by the crops in flight; the bound is about storage and work, not exactness.
 */
async function countCrops(userId: string, uploadId: string, atLeast: number): Promise<number> {
  const ids = new Set<string>();
  let token: string | undefined;
  do {
    const page = await listKeys(cropsPrefix(userId, uploadId), { continuationToken: token });
    for (const key of page.keys) {
      const id = cropIdFromCropKey(userId, uploadId, key);
      if (id) ids.add(id);
    }
    token = page.nextToken;
  } while (token && ids.size < atLeast);
  return ids.size;
}

/** A crop made earlier, for the save step's page. */
export async function getCrop(userId: string, uploadId: string, cropId: string): Promise<CropResult> {
  if (!(await headObject(cropKey(userId, uploadId, cropId, CROP_OUTPUT_SIDE)))) throw new AppError("crop_not_found");
  return { uploadId, cropId, url: await cropUrl(userId, uploadId, cropId) };
}
