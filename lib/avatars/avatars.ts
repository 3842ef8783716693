import "server-only";

import { AppError } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import {
  RENDITION_SIZES,
  avatarCreatedAt,
  avatarIdFromHistoryKey,
  cropKey,
  currentAvatarKey,
  historyKey,
  historyPrefix,
  renditionKey,
  uploadPrefix,
  type RenditionSize,
} from "@/lib/storage/keys";
import {
  copyObject,
  deleteObjects,
  deletePrefix,
  getObjectJson,
  headObject,
  listKeys,
  putJson,
} from "@/lib/storage/objects";

import type { AvatarPage, AvatarView, DeletedAvatar } from "./api-types";
import { renditionUrl, renditionUrls } from "./image-urls";
import { currentAvatarRecordSchema, type CurrentAvatarRecord, type HistoryRecord } from "./schemas";

/** Step 3 and the history. S3 holds the avatars and the small record saying which one is current. */

/** Renditions never change once written, so their keys can be cached for a year by anyone. */
const IMMUTABLE = "public, max-age=31536000, immutable";

async function view(userId: string, avatarId: string, current: boolean): Promise<AvatarView> {
  return { avatarId, createdAt: avatarCreatedAt(avatarId).toISOString(), current, urls: await renditionUrls(userId, avatarId) };
}

async function readCurrent(userId: string): Promise<CurrentAvatarRecord | null> {
  const parsed = currentAvatarRecordSchema.safeParse(await getObjectJson(currentAvatarKey(userId)));
  return parsed.success ? parsed.data : null;
}

async function writeCurrent(userId: string, avatarId: string): Promise<void> {
  const record: CurrentAvatarRecord = { version: 1, avatarId, sizes: [...RENDITION_SIZES], updatedAt: new Date().toISOString() };
  await putJson(currentAvatarKey(userId), record);
}

const historyExists = async (userId: string, avatarId: string) => (await headObject(historyKey(userId, avatarId))) !== null;

/** Runs work the response does not wait for (Next's `after()` in a route handler). */
export type RunAfterResponse = (task: () => Promise<void>) => void;

/**
 * Makes a crop the user's avatar. Write order is what keeps it whole under crashes and retries:
 * renditions, then the history record (the avatar now exists), then the current pointer. The avatar
 * id is the crop id, so saving the same crop twice is the same avatar, and a retry after a crash at
 * any point completes it (every write is the same object again).
 *
 * Deleting the upload's temporary objects (a listing and a delete) is not something the
 * user waits for: with `runAfterResponse` it runs after the answer is sent. Should the instance die
 * before it ran, the uploads/ lifecycle rule removes them anyway. Without it, it runs inline.
 */
export async function saveAvatar(userId: string, uploadId: string, cropId: string, options: { runAfterResponse?: RunAfterResponse } = {}): Promise<AvatarView> {
  // The crop step stored the renditions: they are copied inside S3, no image work here.
  const copied = await Promise.all(
    RENDITION_SIZES.map((size) =>
      copyObject(cropKey(userId, uploadId, cropId, size), renditionKey(userId, cropId, size), { contentType: "image/webp", cacheControl: IMMUTABLE }),
    ),
  );
  if (copied.includes(false)) {
    // The crop is gone: saved and cleaned up by a concurrent save or an earlier try, or never made.
    // Renditions this call copied before the crop went stay as they are: never listed or served
    // without a history record, and deleting them could pull them from under a concurrent save of
    // this same crop.
    if (!(await historyExists(userId, cropId))) throw new AppError("crop_not_found");
  } else {
    // Written again on a retry: the same record, so no need to ask S3 first whether it exists.
    const record: HistoryRecord = { version: 1, avatarId: cropId, sizes: [...RENDITION_SIZES], createdAt: avatarCreatedAt(cropId).toISOString(), uploadId };
    await putJson(historyKey(userId, cropId), record);
  }
  return finishSave(userId, uploadId, cropId, options);
}

/** The pointer, then the cleanup (after the answer when the caller can run it then). */
async function finishSave(userId: string, uploadId: string, cropId: string, options: { runAfterResponse?: RunAfterResponse }): Promise<AvatarView> {
  // The URLs are signed (CPU) while the pointer's PUT is under way.
  const [result] = await Promise.all([view(userId, cropId, true), writeCurrent(userId, cropId)]);
  const cleanup = () => deletePrefix(uploadPrefix(userId, uploadId));
  if (options.runAfterResponse) {
    options.runAfterResponse(() =>
      cleanup().catch((error: unknown) => log("warn", "upload cleanup failed; the uploads/ lifecycle rule will remove it", { uploadId, ...errorFields(error) })),
    );
  } else {
    await cleanup();
  }
  return result;
}

export async function getCurrentAvatar(userId: string): Promise<AvatarView | null> {
  const record = await readCurrent(userId);
  if (!record) return null;
  return view(userId, record.avatarId, true);
}

/** Where the stable per-user URL redirects: the current rendition of that size, or null. */
export async function currentRenditionUrl(userId: string, size: RenditionSize): Promise<string | null> {
  const record = await readCurrent(userId);
  return record ? renditionUrl(userId, record.avatarId, size) : null;
}

/**
 * Newest first straight from S3's listing order (avatar ids start with a reverse timestamp). The
 * cursor is the last avatar id of the previous page, not S3's opaque continuation token: the server
 * validates it like any other id, and S3 only ever sees a StartAfter key under the caller's prefix.
 */
export async function listAvatars(userId: string, options: { cursor?: string; limit: number }): Promise<AvatarPage> {
  const [page, current] = await Promise.all([
    listKeys(historyPrefix(userId), { maxKeys: options.limit, startAfter: options.cursor ? historyKey(userId, options.cursor) : undefined }),
    readCurrent(userId),
  ]);
  const ids = page.keys.flatMap((key) => avatarIdFromHistoryKey(userId, key) ?? []);
  const items = await Promise.all(ids.map((id) => view(userId, id, id === current?.avatarId)));
  return { items, nextCursor: page.truncated ? ids.at(-1) : undefined };
}

export async function selectAvatar(userId: string, avatarId: string): Promise<AvatarView> {
  if (!(await historyExists(userId, avatarId))) throw new AppError("avatar_not_found");
  await writeCurrent(userId, avatarId);
  return view(userId, avatarId, true);
}

/** Removes an avatar: first from the history (so it is never listed half-deleted), then its files. */
export async function deleteAvatar(userId: string, avatarId: string): Promise<DeletedAvatar> {
  if (!(await historyExists(userId, avatarId))) throw new AppError("avatar_not_found");
  const current = await readCurrent(userId);
  const wasCurrent = current?.avatarId === avatarId;
  // The pointer goes first so it never names an avatar whose files are gone.
  if (wasCurrent) await deleteObjects([currentAvatarKey(userId)]);
  await deleteObjects([historyKey(userId, avatarId)]);
  await deleteObjects(RENDITION_SIZES.map((size) => renditionKey(userId, avatarId, size)));
  return { wasCurrent };
}
