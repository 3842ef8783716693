/**
 * After the run, from S3 itself and from the API: nothing a user saved is lost, nothing is left
 * unreachable, nothing of a finished wizard is left behind. process.env holds the cluster's S3
 * settings by now, so lib/storage reads the same bucket the instances wrote.
 */
import sharp from "sharp";

import type { AvatarPage } from "@/lib/avatars/api-types";
import { avatarIdFromHistoryKey, avatarsPrefix, currentAvatarKey, historyPrefix, profileKey, RENDITION_SIZES, renditionKey, uploadPrefix } from "@/lib/storage/keys";
import { getObjectBytes, getObjectJson, listKeys } from "@/lib/storage/objects";

import type { Saved, Walker } from "./walker";

export type Verdict = {
  savesChecked: number;
  savesLost: string[];
  renditionsChecked: number;
  renditionsBroken: string[];
  orphans: string[];
  uploadsLeft: string[];
  apiMissing: string[];
};

async function allKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await listKeys(prefix, { continuationToken: token });
    keys.push(...page.keys);
    token = page.nextToken;
  } while (token);
  return keys;
}

async function apiHistory(walker: Walker): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const response = await walker.client.request(`/api/avatars?limit=50${cursor ? `&cursor=${cursor}` : ""}`);
    if (response.status !== 200) throw new Error(`GET /api/avatars answered ${response.status} for ${walker.name}`);
    const page = (await response.json()) as AvatarPage;
    for (const item of page.items) ids.add(item.avatarId);
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

export async function verify(walkers: Walker[], saves: Saved[]): Promise<Verdict> {
  const verdict: Verdict = { savesChecked: 0, savesLost: [], renditionsChecked: 0, renditionsBroken: [], orphans: [], uploadsLeft: [], apiMissing: [] };
  for (const walker of walkers) {
    const user = walker.userId;
    const mine = saves.filter((s) => s.userId === user);
    const keys = await allKeys(avatarsPrefix(user));
    const history = new Set(keys.flatMap((key) => avatarIdFromHistoryKey(user, key) ?? []));
    const listed = await apiHistory(walker);
    for (const save of mine) {
      verdict.savesChecked++;
      if (!history.has(save.avatarId)) verdict.savesLost.push(`${walker.name} ${save.avatarId}`);
      if (!listed.has(save.avatarId)) verdict.apiMissing.push(`${walker.name} ${save.avatarId}`);
    }
    for (const avatarId of history) {
      for (const size of RENDITION_SIZES) {
        verdict.renditionsChecked++;
        const bytes = await getObjectBytes(renditionKey(user, avatarId, size), 1024 * 1024);
        const width = bytes ? (await sharp(bytes).metadata().catch(() => ({ width: undefined }))).width : undefined;
        if (width !== size) verdict.renditionsBroken.push(`${walker.name} ${avatarId} ${size}: ${bytes ? `width ${width}` : "missing"}`);
      }
    }
    // Everything under avatars/<user>/ must hang off a history record (its renditions, the record),
    // or be one of the user's own two keys: the pointer and the profile (the default avatar's initials).
    const reachable = new Set<string>([currentAvatarKey(user), profileKey(user)]);
    for (const avatarId of history) {
      reachable.add(`${historyPrefix(user)}${avatarId}.json`);
      for (const size of RENDITION_SIZES) reachable.add(renditionKey(user, avatarId, size));
    }
    for (const key of keys) if (!reachable.has(key)) verdict.orphans.push(key);
    const current = (await getObjectJson(currentAvatarKey(user))) as { avatarId?: string } | null;
    if (mine.length > 0 && (!current?.avatarId || !history.has(current.avatarId))) verdict.orphans.push(`${currentAvatarKey(user)} points at ${current?.avatarId ?? "nothing"}`);
    for (const save of mine) {
      const left = await allKeys(uploadPrefix(user, save.uploadId));
      if (left.length > 0) verdict.uploadsLeft.push(`${uploadPrefix(user, save.uploadId)} (${left.length} objects)`);
    }
  }
  return verdict;
}
