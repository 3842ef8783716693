import { beforeAll, describe, expect, it } from "vitest";

import { cropUpload } from "@/lib/avatars/crop";
import { getCurrentAvatar } from "@/lib/avatars/current-avatar";
import { deleteMyData } from "@/lib/avatars/delete-my-data";
import { finishUpload } from "@/lib/avatars/finish-upload";
import { listAvatars } from "@/lib/avatars/history";
import { readProfile, rememberDisplayName } from "@/lib/avatars/profile";
import { saveAvatar } from "@/lib/avatars/save";
import { stableAvatar } from "@/lib/avatars/stable-avatar";
import { startUpload } from "@/lib/avatars/start-upload";
import { avatarsPrefix, currentAvatarKey, historyKey, RENDITION_SIZES, userUploadsPrefix } from "@/lib/storage/keys";
import { deleteObjects, listKeys } from "@/lib/storage/objects";
import { photoLike } from "@/test/harness/images";

import { ensureBucket, newTestUser, sendToS3 } from "./helpers";

/**
 * "Delete my data" against a real S3: afterwards nothing is listed under the user's two prefixes,
 * a repeat is harmless, a run that died half-way is finished by the next, and nobody else's
 * objects are touched.
 */

async function readyUpload(userId: string, seed: number) {
  const bytes = await photoLike(600, 600, seed);
  const started = await startUpload(userId, { contentType: "image/jpeg", size: bytes.length });
  const response = await sendToS3(started.upload, bytes, "image/jpeg");
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  await finishUpload(userId, started.uploadId);
  return started.uploadId;
}

/** Where the stable URL would send a browser now: the current rendition's URL, or undefined (the default, or 404 with d=404). */
async function stableLocation(userId: string, size: number): Promise<string | undefined> {
  const answer = await stableAvatar(userId, size, { fallback: "none" });
  return answer.kind === "redirect" ? answer.location : undefined;
}

/** A profile, two saved avatars (the second current), one upload cropped but not saved, and the quota keys of three starts. */
async function userWithData() {
  const user = newTestUser();
  await rememberDisplayName(user, "Forget Me");
  const saved: string[] = [];
  for (const seed of [1, 2]) {
    const uploadId = await readyUpload(user, seed);
    const crop = await cropUpload(user, uploadId, { left: 0, top: 0, width: 400, height: 400, rotation: 0 });
    saved.push((await saveAvatar(user, uploadId, crop.cropId)).avatarId);
  }
  const pending = await readyUpload(user, 3);
  await cropUpload(user, pending, { left: 50, top: 50, width: 300, height: 300, rotation: 0 });
  return { user, saved };
}

const allKeys = async (prefix: string) => (await listKeys(prefix)).keys;
const keysOf = async (user: string) => [...(await allKeys(avatarsPrefix(user))), ...(await allKeys(userUploadsPrefix(user)))];

beforeAll(ensureBucket);

describe("delete my data", () => {
  it("removes every object under the user's prefixes: pointer, history, renditions, uploads and quota keys", async () => {
    const { user } = await userWithData();
    const before = await keysOf(user);
    expect(before.filter((key) => key.includes("/renditions/"))).toHaveLength(2 * RENDITION_SIZES.length);
    expect(before.filter((key) => key.includes("/started/"))).toHaveLength(3);
    expect(before.filter((key) => key.includes("/crops/"))).toHaveLength(RENDITION_SIZES.length);
    expect(before).toContain(currentAvatarKey(user));
    expect(await readProfile(user)).not.toBeNull();

    const result = await deleteMyData(user);
    expect(result.avatars).toBe(2);
    expect(result.objects).toBe(before.length - 1); // the pointer is deleted without being listed

    expect(await allKeys(avatarsPrefix(user))).toEqual([]);
    expect(await allKeys(userUploadsPrefix(user))).toEqual([]);
    expect(await getCurrentAvatar(user)).toBeNull();
    expect(await readProfile(user)).toBeNull(); // the initials go too
    expect(await stableLocation(user, 128)).toBeUndefined(); // the stable URL no longer leads to the old avatar
    expect((await stableAvatar(user, 128, { fallback: "default" })).kind).toBe("default");
    expect((await listAvatars(user, { limit: 10 })).items).toEqual([]);
  });

  it("running it twice is fine: the second run finds nothing and succeeds", async () => {
    const { user } = await userWithData();
    await deleteMyData(user);
    expect(await deleteMyData(user)).toEqual({ avatars: 0, objects: 0 });
    expect(await keysOf(user)).toEqual([]);
    // and for a user who never had anything
    expect(await deleteMyData(newTestUser())).toEqual({ avatars: 0, objects: 0 });
  });

  it("a run that died after the pointer and one history record: nothing half-deleted is reachable, and a retry finishes", async () => {
    const { user, saved } = await userWithData();
    // What a crashed instance leaves after steps 1 and part of 2.
    await deleteObjects([currentAvatarKey(user), historyKey(user, saved[1]!)]);
    expect(await stableLocation(user, 64)).toBeUndefined();
    // The avatar left listed is whole: its record and all its renditions are there.
    const listed = (await listAvatars(user, { limit: 10 })).items;
    expect(listed.map((item) => item.avatarId)).toEqual([saved[0]]);
    for (const size of RENDITION_SIZES) expect((await fetch(listed[0]!.urls[size])).status).toBe(200);

    await deleteMyData(user);
    expect(await keysOf(user)).toEqual([]);
  });

  it("a run that died after the records and some renditions: the retry finds the orphans by listing and removes them", async () => {
    const { user, saved } = await userWithData();
    const renditions = (await allKeys(avatarsPrefix(user))).filter((key) => key.includes("/renditions/"));
    await deleteObjects([currentAvatarKey(user), ...saved.map((id) => historyKey(user, id)), ...renditions.slice(0, 3)]);
    expect((await listAvatars(user, { limit: 10 })).items).toEqual([]); // nothing names the orphans

    const result = await deleteMyData(user);
    expect(result.avatars).toBe(0);
    expect(await keysOf(user)).toEqual([]);
  });

  it("leaves another user's data untouched", async () => {
    const mine = await userWithData();
    const theirs = await userWithData();
    const theirKeys = await keysOf(theirs.user);
    const theirCurrent = await stableLocation(theirs.user, 128);
    expect(theirCurrent).toContain(`/renditions/${theirs.saved[1]}/`);

    await deleteMyData(mine.user);
    expect(await keysOf(mine.user)).toEqual([]);
    expect(await keysOf(theirs.user)).toEqual(theirKeys);
    expect(await stableLocation(theirs.user, 128)).toBe(theirCurrent);
    expect((await readProfile(theirs.user))?.initials).toBe("FM");
  });
});
