import "server-only";

import { AppError } from "@/lib/errors";
import { avatarIdFromHistoryKey, currentAvatarKey, historyKey, historyPrefix, RENDITION_SIZES, renditionKey } from "@/lib/storage/keys";
import { deleteObjects, headObject, listKeys } from "@/lib/storage/objects";

import type { AvatarPage, AvatarView, DeletedAvatar } from "./api-types";
import { avatarView } from "./avatar-view";
import { readCurrent, writeCurrent } from "./current-avatar";

/** The user's saved avatars: list them, pick one as current, delete one. Each has a history record. */

/** Whether the avatar was saved: its history record is what makes it exist. */
export const historyExists = async (userId: string, avatarId: string) => (await headObject(historyKey(userId, avatarId))) !== null;

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
  const items = await Promise.all(ids.map((id) => avatarView(userId, id, id === current?.avatarId)));
  return { items, nextCursor: page.truncated ? ids.at(-1) : undefined };
}

export async function selectAvatar(userId: string, avatarId: string): Promise<AvatarView> {
  if (!(await historyExists(userId, avatarId))) throw new AppError("avatar_not_found");
  await writeCurrent(userId, avatarId);
  return avatarView(userId, avatarId, true);
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
