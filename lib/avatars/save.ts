import "server-only";

import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import { avatarCreatedAt, cropKey, historyKey, RENDITION_SIZES, renditionKey, uploadPrefix } from "@/lib/storage/keys";
import { copyObject, deletePrefix, putJson } from "@/lib/storage/objects";

import type { AvatarView } from "./api-types";
import { checkRoomForAvatar, confirmRoomForAvatar } from "./avatar-quota";
import { avatarView } from "./avatar-view";
import { writeCurrent } from "./current-avatar";
import { historyExists, readHistory } from "./history";
import { readCropThumbHash } from "./placeholder-source";
import type { HistoryRecord } from "./schemas";

/** Renditions never change once written, so their keys can be cached for a year by anyone. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/** Runs work the response does not wait for (Next's `after()` in a route handler). */
export type RunAfterResponse = (task: () => Promise<void>) => void;

/**
 * Step 3: makes a crop the user's avatar. Write order is what keeps it whole under crashes and retries:
 * renditions, then the history record (the avatar now exists), then the current pointer. The avatar
 * id is the crop id, so saving the same crop twice is the same avatar, and a retry after a crash at
 * any point completes it (every write is the same object again).
 *
 * Deleting the upload's temporary objects (a listing and a delete) is not something the
 * user waits for: with `runAfterResponse` it runs after the answer is sent. Should the instance die
 * before it ran, the uploads/ lifecycle rule removes them anyway. Without it, it runs inline.
 */
export async function saveAvatar(userId: string, uploadId: string, cropId: string, options: { runAfterResponse?: RunAfterResponse } = {}): Promise<AvatarView> {
  const limit = getEnv().AVATARS_PER_USER;
  // Refused before any copy, so a save past the limit leaves nothing behind (lib/avatars/avatar-quota.ts).
  const room = await checkRoomForAvatar(userId, cropId, limit);
  // The crop step stored the renditions: they are copied inside S3, no image work here.
  // The placeholder the crop step computed is read while the copies run.
  const [copied, cropThumbHash] = await Promise.all([
    Promise.all(
      RENDITION_SIZES.map((size) =>
        copyObject(cropKey(userId, uploadId, cropId, size), renditionKey(userId, cropId, size), { contentType: "image/webp", cacheControl: IMMUTABLE }),
      ),
    ),
    readCropThumbHash(userId, uploadId, cropId),
  ]);
  let thumbHash = cropThumbHash;
  if (copied.includes(false)) {
    // The crop is gone: saved and cleaned up by a concurrent save or an earlier try, or never made.
    // Renditions this call copied before the crop went stay as they are: never listed or served
    // without a history record, and deleting them could pull them from under a concurrent save of
    // this same crop.
    const saved = await readHistory(userId, cropId);
    if (!saved && !(await historyExists(userId, cropId))) throw new AppError("crop_not_found");
    thumbHash = saved?.thumbHash;
  } else {
    // Written again on a retry: the same record, so no need to ask S3 first whether it exists.
    const record: HistoryRecord = { version: 1, avatarId: cropId, sizes: [...RENDITION_SIZES], createdAt: avatarCreatedAt(cropId).toISOString(), uploadId, thumbHash };
    await putJson(historyKey(userId, cropId), record);
    if (room === "new") await confirmRoomForAvatar(userId, cropId, limit);
  }
  return finishSave(userId, uploadId, cropId, thumbHash, options);
}

/** The pointer, then the cleanup (after the answer when the caller can run it then). */
async function finishSave(userId: string, uploadId: string, cropId: string, thumbHash: string | undefined, options: { runAfterResponse?: RunAfterResponse }): Promise<AvatarView> {
  // The URLs are signed (CPU) while the pointer's PUT is under way.
  const [result] = await Promise.all([avatarView(userId, cropId, true, thumbHash), writeCurrent(userId, cropId, thumbHash)]);
  const cleanup = async () => void (await deletePrefix(uploadPrefix(userId, uploadId)));
  if (options.runAfterResponse) {
    options.runAfterResponse(() =>
      cleanup().catch((error: unknown) => log("warn", "upload cleanup failed; the uploads/ lifecycle rule will remove it", { uploadId, ...errorFields(error) })),
    );
  } else {
    await cleanup();
  }
  return result;
}
