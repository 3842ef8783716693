import "server-only";

import { profileKey } from "@/lib/storage/keys";
import { getObjectJson, putJson } from "@/lib/storage/objects";

import { initialsOf } from "./initials";
import { profileRecordSchema, type ProfileRecord } from "./schemas";
import { forgetStableLookup } from "./stable-lookups";

/**
 * The little the default avatar knows about a user: the initials of the display name, written at
 * every sign-in (so a change of name at the provider shows at the next one). No initials (a name
 * without a Latin letter or digit) removes nothing and writes nothing: the identicon is drawn.
 */
export async function rememberDisplayName(userId: string, displayName: string | null | undefined): Promise<void> {
  const initials = initialsOf(displayName);
  if (!initials) return;
  const record: ProfileRecord = { version: 1, initials };
  await putJson(profileKey(userId), record);
  forgetStableLookup(userId);
}

export async function readProfile(userId: string): Promise<ProfileRecord | null> {
  const parsed = profileRecordSchema.safeParse(await getObjectJson(profileKey(userId)));
  return parsed.success ? parsed.data : null;
}
