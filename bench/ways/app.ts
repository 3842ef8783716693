/** The app's way and the app's way with the naive crop: the use cases, against S3 over HTTP, job limiter included. */
import { saveAvatar, type RunAfterResponse } from "@/lib/avatars/save";
import { cropUpload } from "@/lib/avatars/crop";
import { getEnv } from "@/lib/env";
import type { CropRequest } from "@/lib/images/crop-geometry";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { decodeLimits, withImageSlot } from "@/lib/limits/image-jobs";
import { encodeRenditions, inspectImage } from "@/lib/images/pipeline";
import { cropKey, cropsPrefix, newAvatarId, originalKey, previewKey, RENDITION_SIZES, type RenditionSize } from "@/lib/storage/keys";
import { withDownloadBuffer } from "@/lib/storage/download-buffers";
import { getObjectBytes, headObject, listKeys, presignGet, putObject } from "@/lib/storage/objects";

import type { Context } from "../context";
import { naiveSquare } from "./in-memory";

/**
 * What the save route hands to Next's `after()` (the upload's cleanup), run the same way: once the
 * answer is out. `afterResponse` settles when it has run, so a caller can keep it out of the timed
 * span (the user does not wait for it) and still wait for it before measuring anything else.
 */
export type AppResult = { afterResponse: Promise<void>; avatarId: string };

function afterResponseQueue(): { run: RunAfterResponse; done: () => Promise<void> } {
  const tasks: Promise<void>[] = [];
  return {
    run: (task) => void tasks.push(new Promise((resolve) => setImmediate(resolve)).then(task)),
    done: async () => void (await Promise.all(tasks)),
  };
}

/** The app: what POST /api/uploads/:id/crop and POST /api/uploads/:id/save run. */
export async function appWay(context: Context, uploadId: string, crop: CropRequest): Promise<AppResult> {
  const { cropId } = await cropUpload(context.userId, uploadId, crop);
  const after = afterResponseQueue();
  await saveAvatar(context.userId, uploadId, cropId, { runAfterResponse: after.run });
  return { afterResponse: after.done(), avatarId: cropId };
}

/**
 * cropUpload's steps (lib/avatars/crop.ts: HEAD preview while the original downloads, each
 * rendition PUT as soon as it is encoded) with naiveSquare in place of the app's crop, then the
 * real saveAvatar. Upright inputs and valid crops only, so none of cropUpload's checks are repeated.
 */
export async function naiveAppWay(context: Context, uploadId: string, crop: CropRequest): Promise<AppResult> {
  const env = getEnv();
  const cropId = newAvatarId();
  const uploads: Promise<void>[] = [];
  const store = (size: RenditionSize, data: Buffer) =>
    void uploads.push(putObject(cropKey(context.userId, uploadId, cropId, size), data, { contentType: "image/webp", cacheControl: "private, max-age=3600" }));
  const preview = headObject(previewKey(context.userId, uploadId));
  await withImageSlot(context.userId, () => withDownloadBuffer(async (into) => {
    const [ready, bytes] = await Promise.all([
      preview,
      getObjectBytes(originalKey(context.userId, uploadId), env.UPLOAD_MAX_BYTES, { into }),
      listKeys(cropsPrefix(context.userId, uploadId)), // cropUpload's count of the upload's crops
    ]);
    if (!ready || !bytes) throw new Error("upload not ready");
    await inspectImage(bytes, decodeLimits());
    await encodeRenditions(await naiveSquare(bytes, crop), RENDITION_SIZES, store);
  }));
  await Promise.all([presignGet(cropKey(context.userId, uploadId, cropId, CROP_OUTPUT_SIDE), { expiresIn: 900, contentType: "image/webp" }), ...uploads]);
  const after = afterResponseQueue();
  await saveAvatar(context.userId, uploadId, cropId, { runAfterResponse: after.run });
  return { afterResponse: after.done(), avatarId: cropId };
}
