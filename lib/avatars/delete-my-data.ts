import "server-only";

import { avatarsPrefix, currentAvatarKey, historyPrefix, renditionsPrefix, userUploadsPrefix } from "@/lib/storage/keys";
import { deleteObjects, deletePrefix } from "@/lib/storage/objects";

import type { DeletedData } from "./api-types";
import { forgetStableLookup } from "./stable-lookups";

/**
 * Removes every object the user has in S3: the current pointer, every history record, every
 * rendition, the profile, and everything under uploads/<user>/ (uploads in progress, their crops, the hourly
 * quota's slots or markers).
 *
 * What is deleted is found by listing the user's prefixes, never by following records, so a run
 * that died half-way is finished by running it again, and a repeat deletes nothing and succeeds.
 * The order keeps every state a crash can leave one the rest of the app already handles:
 *  1. the pointer: the stable URL and the header stop showing the avatar at once; a user with
 *     saved avatars and no current one is an ordinary state (as after deleting the current one);
 *  2. the history records: an avatar exists while its record does, so from here on none is listed,
 *     and none can be selected (selectAvatar checks the record) and point the pointer back at it;
 *  3. the renditions: nothing reachable names them any more (presigned URLs already handed out
 *     last until they expire; a CDN keeps what it cached: SECURITY.md);
 *  4. the uploads: nothing saved depends on them, so they can go last.
 * Then the rest of avatars/<user>/: profile.json (the initials the default avatar draws, written
 * again at the next sign-in) and any key added there later.
 *
 * Not atomic against a save running at the same moment in another tab: a save that copied its
 * renditions before step 3 and writes its record after step 2 can leave one avatar behind.
 * Running it again removes that too.
 */
export async function deleteMyData(userId: string): Promise<DeletedData> {
  await deleteObjects([currentAvatarKey(userId)]);
  forgetStableLookup(userId);
  const avatars = await deletePrefix(historyPrefix(userId));
  const renditions = await deletePrefix(renditionsPrefix(userId));
  const uploads = await deletePrefix(userUploadsPrefix(userId));
  const rest = await deletePrefix(avatarsPrefix(userId));
  return { avatars, objects: avatars + renditions + uploads + rest };
}
