import "server-only";

import { AppError } from "@/lib/errors";
import { avatarIdFromHistoryKey, historyKey, historyPrefix, RENDITION_SIZES, renditionKey } from "@/lib/storage/keys";
import { deleteObjects, listKeys } from "@/lib/storage/objects";

import { readCurrent } from "./current-avatar";
import { historyExists } from "./history";

/**
 * How many avatars a user keeps (AVATARS_PER_USER), counted in S3 (the history records), so across
 * instances. A save is checked twice: before it writes anything, and again once its record is
 * written. The second check is what holds the bound under concurrent saves on any instances: each
 * save that then sees more than the limit takes its own avatar back and is refused, so the user
 * never keeps more than the limit (two saves racing for the last place may both be refused; saving
 * again succeeds). Only a crash between the record and the second check can leave one more.
 */

const limitReached = (limit: number) =>
  new AppError(
    "avatar_limit_reached",
    `You have ${limit} saved avatars, the most one account keeps. Delete some you no longer use in your history, then save this one again.`,
  );

/** Before any write: "saved" when this avatar already is (a retry, which never counts again), else "new" if there is room. */
export async function checkRoomForAvatar(userId: string, avatarId: string, limit: number): Promise<"new" | "saved"> {
  const page = await listKeys(historyPrefix(userId), { maxKeys: limit });
  const ids = page.keys.map((key) => avatarIdFromHistoryKey(userId, key));
  if (ids.includes(avatarId)) return "saved";
  if (ids.length < limit) return "new";
  // Past the limit (a crash left one more) the listing may stop before this avatar.
  if (await historyExists(userId, avatarId)) return "saved";
  throw limitReached(limit);
}

/** After this save wrote its history record: over the limit, the record and renditions go again and the save is refused. */
export async function confirmRoomForAvatar(userId: string, avatarId: string, limit: number): Promise<void> {
  const page = await listKeys(historyPrefix(userId), { maxKeys: limit + 1 });
  if (page.keys.length <= limit) return;
  // The pointer is written after this check: it names this avatar only if a double-clicked save of it finished first, and that one stays.
  if ((await readCurrent(userId))?.avatarId === avatarId) return;
  await deleteObjects([historyKey(userId, avatarId)]);
  await deleteObjects(RENDITION_SIZES.map((size) => renditionKey(userId, avatarId, size)));
  throw limitReached(limit);
}
