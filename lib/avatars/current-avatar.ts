import "server-only";

import { currentAvatarKey, RENDITION_SIZES } from "@/lib/storage/keys";
import { getObjectJson, putJson } from "@/lib/storage/objects";

import type { AvatarView } from "./api-types";
import { avatarView } from "./avatar-view";
import { currentAvatarRecordSchema, type CurrentAvatarRecord } from "./schemas";
import { forgetStableLookup } from "./stable-lookups";

/** Which saved avatar is the user's current one: a small record in S3 that names it. */

export async function readCurrent(userId: string): Promise<CurrentAvatarRecord | null> {
  const parsed = currentAvatarRecordSchema.safeParse(await getObjectJson(currentAvatarKey(userId)));
  return parsed.success ? parsed.data : null;
}

export async function writeCurrent(userId: string, avatarId: string, thumbHash: string | undefined): Promise<void> {
  const record: CurrentAvatarRecord = { version: 1, avatarId, sizes: [...RENDITION_SIZES], updatedAt: new Date().toISOString(), thumbHash };
  await putJson(currentAvatarKey(userId), record);
  // This instance's stable URL shows it at once; others within LOOKUP_TTL_MS.
  forgetStableLookup(userId);
}

export async function getCurrentAvatar(userId: string): Promise<AvatarView | null> {
  const record = await readCurrent(userId);
  if (!record) return null;
  return avatarView(userId, record.avatarId, true, record.thumbHash);
}
