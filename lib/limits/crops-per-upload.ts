import "server-only";

import { AppError } from "@/lib/errors";
import { cropIdFromCropKey, cropsPrefix } from "@/lib/storage/keys";
import { listKeys } from "@/lib/storage/objects";

/**
 * The crops an upload has, whichever instance made them: S3 is the only place that knows, so the
 * crops prefix is listed (four renditions per crop; a crop with any rendition counts). Crops made
 * at the same moment on other instances may not be listed yet, so a burst across instances can
 * pass the bound by the crops in flight; the bound is about storage and work, not exactness.
 */
export async function countCrops(userId: string, uploadId: string, atLeast: number): Promise<number> {
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

/** CROPS_PER_UPLOAD: an upload that already has `limit` crops gets no more. */
export function assertRoomForCrop(crops: number, limit: number): void {
  if (crops < limit) return;
  throw new AppError(
    "crop_limit_reached",
    `You have cropped this picture ${limit} times, the most one upload allows. Go back to save one of those crops, or upload the picture again to keep cropping.`,
  );
}
