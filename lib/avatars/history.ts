import "server-only";

import { AppError } from "@/lib/errors";
import { avatarIdFromHistoryKey, currentAvatarKey, historyKey, historyPrefix, RENDITION_SIZES, renditionKey } from "@/lib/storage/keys";
import { deleteObjects, getObjectJson, headObject, listKeys } from "@/lib/storage/objects";

import type { AvatarPage, AvatarView, DeletedAvatar } from "./api-types";
import { avatarView } from "./avatar-view";
import { readCurrent, writeCurrent } from "./current-avatar";
import { historyRecordSchema, type HistoryRecord } from "./schemas";
import { forgetStableLookup } from "./stable-lookups";

/** The user's saved avatars: list them, pick one as current, delete one. Each has a history record. */

/** Whether the avatar was saved: its history record is what makes it exist (readable or not). */
export const historyExists = async (userId: string, avatarId: string) => (await headObject(historyKey(userId, avatarId))) !== null;

/** The avatar's history record; null when it was never saved, or when this instance cannot read it (check historyExists then). */
export async function readHistory(userId: string, avatarId: string): Promise<HistoryRecord | null> {
  const parsed = historyRecordSchema.safeParse(await getObjectJson(historyKey(userId, avatarId)));
  return parsed.success && parsed.data.avatarId === avatarId ? parsed.data : null;
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
  // Each record is read for its placeholder (small GETs, in parallel): listing does not carry it.
  // A record that cannot be read still lists its avatar, without a placeholder.
  const items = await Promise.all(
    ids.map(async (id) => avatarView(userId, id, id === current?.avatarId, (await readHistory(userId, id).catch(() => null))?.thumbHash)),
  );
  return { items, nextCursor: page.truncated ? ids.at(-1) : undefined };
}

export async function selectAvatar(userId: string, avatarId: string): Promise<AvatarView> {
  const record = await readHistory(userId, avatarId);
  if (!record && !(await historyExists(userId, avatarId))) throw new AppError("avatar_not_found");
  await writeCurrent(userId, avatarId, record?.thumbHash);
  return avatarView(userId, avatarId, true, record?.thumbHash);
}

/** Removes an avatar: first from the history (so it is never listed half-deleted), then its files. */
export async function deleteAvatar(userId: string, avatarId: string): Promise<DeletedAvatar> {
  if (!(await historyExists(userId, avatarId))) throw new AppError("avatar_not_found");
  const current = await readCurrent(userId);
  const wasCurrent = current?.avatarId === avatarId;
  // The pointer goes first so it never names an avatar whose files are gone.
  if (wasCurrent) await deleteObjects([currentAvatarKey(userId)]);
  if (wasCurrent) forgetStableLookup(userId);
  await deleteObjects([historyKey(userId, avatarId)]);
  await deleteObjects(RENDITION_SIZES.map((size) => renditionKey(userId, avatarId, size)));
  return { wasCurrent };
}
