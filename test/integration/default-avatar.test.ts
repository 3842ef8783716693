import { beforeAll, describe, expect, it } from "vitest";

import { cropUpload } from "@/lib/avatars/crop";
import { finishUpload } from "@/lib/avatars/finish-upload";
import { deleteAvatar } from "@/lib/avatars/history";
import { rememberDisplayName } from "@/lib/avatars/profile";
import { saveAvatar } from "@/lib/avatars/save";
import { stableAvatar, type StableAvatar } from "@/lib/avatars/stable-avatar";
import { startUpload } from "@/lib/avatars/start-upload";
import { profileKey, renditionKey } from "@/lib/storage/keys";
import { getObjectJson } from "@/lib/storage/objects";
import { describeImage, photoLike } from "@/test/harness/images";

import { ensureBucket, newTestUser, sendToS3 } from "./helpers";

/** The stable URL's use case against a real S3: the default, its ETag, 304, and the switch to a saved avatar. */

async function saveOne(userId: string): Promise<string> {
  const bytes = await photoLike(400, 400, 1);
  const started = await startUpload(userId, { contentType: "image/jpeg", size: bytes.length });
  expect((await sendToS3(started.upload, bytes, "image/jpeg")).status).toBeLessThan(300);
  await finishUpload(userId, started.uploadId);
  const crop = await cropUpload(userId, started.uploadId, { left: 0, top: 0, width: 400, height: 400, rotation: 0 });
  return (await saveAvatar(userId, started.uploadId, crop.cropId)).avatarId;
}

function picture(answer: StableAvatar): Buffer {
  if (answer.kind !== "default" || answer.notModified) throw new Error(`expected a drawn default, got ${answer.kind}`);
  return answer.body;
}

beforeAll(ensureBucket);

describe("the stable avatar URL's answers", () => {
  it("draws a default at the requested size for a user with none, the same every time, and 304s a client that has it", async () => {
    const user = newTestUser();
    for (const size of [16, 100, 512]) {
      const first = await stableAvatar(user, size, { fallback: "default" });
      expect(await describeImage(picture(first))).toMatchObject({ format: "webp", width: size, height: size });
      const again = await stableAvatar(user, size, { fallback: "default" });
      expect(again.kind === "default" && again.etag).toBe(first.kind === "default" && first.etag);
      expect(picture(again).equals(picture(first))).toBe(true);
      const revalidated = await stableAvatar(user, size, { fallback: "default", clientHas: (etag) => etag === (first.kind === "default" ? first.etag : "") });
      expect(revalidated).toMatchObject({ kind: "default", notModified: true });
    }
    expect(await stableAvatar(user, 64, { fallback: "none" })).toEqual({ kind: "none" });
  });

  it("changes the default's ETag when the initials become known, and keeps only the initials", async () => {
    const user = newTestUser();
    const identicon = await stableAvatar(user, 64, { fallback: "default" });
    await rememberDisplayName(user, "Ada Lovelace");
    expect(await getObjectJson(profileKey(user))).toEqual({ version: 1, initials: "AL" });
    const initials = await stableAvatar(user, 64, { fallback: "default", clientHas: (etag) => etag === (identicon.kind === "default" ? identicon.etag : "") });
    expect(initials).toMatchObject({ kind: "default", notModified: false });
    expect(picture(initials).equals(picture(identicon))).toBe(false);
  });

  it("redirects to the smallest rendition at least the size once an avatar is saved, with a new ETag, and back to the default when it is deleted", async () => {
    const user = newTestUser();
    const before = await stableAvatar(user, 100, { fallback: "default" });
    const avatarId = await saveOne(user);
    const after = await stableAvatar(user, 100, { fallback: "default", clientHas: (etag) => etag === (before.kind === "default" ? before.etag : "") });
    if (after.kind !== "redirect") throw new Error(`expected a redirect, got ${after.kind}`);
    expect(after.notModified).toBe(false);
    expect(after.location).toContain(renditionKey(user, avatarId, 128));
    const rendition = await fetch(after.location);
    expect(await describeImage(Buffer.from(await rendition.arrayBuffer()))).toMatchObject({ format: "webp", width: 128 });
    expect(await stableAvatar(user, 100, { fallback: "default", clientHas: (etag) => etag === after.etag })).toMatchObject({ kind: "redirect", notModified: true });
    expect(await stableAvatar(user, 16, { fallback: "none" })).toMatchObject({ location: expect.stringContaining(renditionKey(user, avatarId, 64)) });
    expect(await stableAvatar(user, 300, { fallback: "none" })).toMatchObject({ location: expect.stringContaining(renditionKey(user, avatarId, 512)) });

    await deleteAvatar(user, avatarId);
    const back = await stableAvatar(user, 100, { fallback: "default", clientHas: (etag) => etag === after.etag });
    expect(back).toMatchObject({ kind: "default", notModified: false, etag: before.kind === "default" ? before.etag : "" });
  });
});
