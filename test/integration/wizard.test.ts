import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { cropUpload, getCrop } from "@/lib/avatars/crop";
import { getCurrentAvatar } from "@/lib/avatars/current-avatar";
import { finishUpload } from "@/lib/avatars/finish-upload";
import { deleteAvatar, listAvatars, selectAvatar } from "@/lib/avatars/history";
import { saveAvatar } from "@/lib/avatars/save";
import { stableAvatar } from "@/lib/avatars/stable-avatar";
import { startUpload } from "@/lib/avatars/start-upload";
import { getUploadState } from "@/lib/avatars/upload-state";
import { historyPrefix, originalKey, previewKey, renditionKey, RENDITION_SIZES, uploadPrefix } from "@/lib/storage/keys";
import { headObject, listKeys, putObject } from "@/lib/storage/objects";
import { describeImage, photoLike, withOrientation } from "@/test/harness/images";

import { ensureBucket, newTestUser, sendToS3 } from "./helpers";

/**
 * The route handlers' logic (lib/avatars) against a real S3-compatible server over HTTP.
 * Each test signs in as fresh users so tests cannot see each other's objects.
 */

async function uploadPicture(userId: string, bytes: Buffer, contentType = "image/jpeg") {
  const started = await startUpload(userId, { contentType: contentType as "image/jpeg", size: bytes.length });
  const response = await sendToS3(started.upload, bytes, contentType);
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return started.uploadId;
}

async function readyUpload(userId: string, bytes?: Buffer) {
  // Stored 1200×800 with EXIF orientation 6: displayed upright as 800×1200.
  const file = bytes ?? (await withOrientation(await photoLike(800, 1200, 3), 6));
  const uploadId = await uploadPicture(userId, file);
  return { uploadId, state: await finishUpload(userId, uploadId) };
}

beforeAll(ensureBucket);

describe("the wizard, step by step, against S3", () => {
  it("upload, check, crop, save: the avatar is current, listed, and served at every size", async () => {
    const user = newTestUser();
    const { uploadId, state } = await readyUpload(user);
    expect(state.status).toBe("ready");
    expect(state.displayed).toEqual({ width: 800, height: 1200 }); // orientation 6 turns 1200×800 stored upright
    expect(state.preview.url).toContain(previewKey(user, uploadId));

    const preview = await fetch(state.preview.url);
    expect(preview.status).toBe(200);
    expect((await describeImage(Buffer.from(await preview.arrayBuffer()))).format).toBe("webp");

    const crop = await cropUpload(user, uploadId, { left: 100, top: 200, width: 600, height: 600, rotation: 90 });
    expect((await getCrop(user, uploadId, crop.cropId)).cropId).toBe(crop.cropId);

    const avatar = await saveAvatar(user, uploadId, crop.cropId);
    expect(avatar).toMatchObject({ avatarId: crop.cropId, current: true });
    expect((await getCurrentAvatar(user))?.avatarId).toBe(crop.cropId);

    for (const size of RENDITION_SIZES) {
      const response = await fetch(avatar.urls[size]);
      expect(response.status).toBe(200);
      expect(await describeImage(Buffer.from(await response.arrayBuffer()))).toMatchObject({ format: "webp", width: size, height: size });
      expect((await headObject(renditionKey(user, crop.cropId, size)))?.size).toBeGreaterThan(0);
    }
    expect(await stableAvatar(user, 128, { fallback: "none" })).toMatchObject({ location: expect.stringContaining(renditionKey(user, crop.cropId, 128)) });

    // the temporary objects of the upload are gone
    expect((await listKeys(uploadPrefix(user, uploadId))).keys).toEqual([]);
    expect((await listAvatars(user, { limit: 10 })).items.map((i) => i.avatarId)).toEqual([crop.cropId]);
  });

  it("the save route's way (runAfterResponse): the answer comes before the upload's cleanup, which then removes it", async () => {
    const user = newTestUser();
    const { uploadId } = await readyUpload(user);
    const crop = await cropUpload(user, uploadId, { left: 0, top: 0, width: 500, height: 500, rotation: 0 });
    const deferred: (() => Promise<void>)[] = [];
    const avatar = await saveAvatar(user, uploadId, crop.cropId, { runAfterResponse: (task) => void deferred.push(task) });
    expect(avatar).toMatchObject({ avatarId: crop.cropId, current: true });
    expect(deferred).toHaveLength(1);
    // Answered with the avatar complete while the temporary objects are still there...
    expect((await getCurrentAvatar(user))?.avatarId).toBe(crop.cropId);
    expect((await listKeys(uploadPrefix(user, uploadId))).keys.length).toBeGreaterThanOrEqual(3);
    // ...and the deferred task removes them.
    await deferred[0]!();
    expect((await listKeys(uploadPrefix(user, uploadId))).keys).toEqual([]);
  });

  it("saving the same crop twice (double click, retry) gives one avatar", async () => {
    const user = newTestUser();
    const { uploadId } = await readyUpload(user);
    const crop = await cropUpload(user, uploadId, { left: 0, top: 0, width: 500, height: 500, rotation: 0 });
    const [a, b] = await Promise.all([saveAvatar(user, uploadId, crop.cropId), saveAvatar(user, uploadId, crop.cropId)]);
    const again = await saveAvatar(user, uploadId, crop.cropId);
    expect(new Set([a.avatarId, b.avatarId, again.avatarId])).toEqual(new Set([crop.cropId]));
    expect((await listKeys(historyPrefix(user))).keys).toHaveLength(1);
  });

  it("a save that died after writing some renditions completes on retry, whole", async () => {
    const user = newTestUser();
    const { uploadId } = await readyUpload(user);
    const crop = await cropUpload(user, uploadId, { left: 0, top: 0, width: 500, height: 500, rotation: 0 });
    // What a crashed instance leaves: two renditions, no history record, no current pointer.
    await putObject(renditionKey(user, crop.cropId, 512), Buffer.from("partial"), { contentType: "image/webp" });
    await putObject(renditionKey(user, crop.cropId, 256), Buffer.from("partial"), { contentType: "image/webp" });
    expect(await getCurrentAvatar(user)).toBeNull();
    expect((await listAvatars(user, { limit: 10 })).items).toEqual([]); // never listed half-written

    await saveAvatar(user, uploadId, crop.cropId);
    for (const size of RENDITION_SIZES) {
      const response = await fetch((await getCurrentAvatar(user))!.urls[size]);
      expect((await describeImage(Buffer.from(await response.arrayBuffer()))).width).toBe(size);
    }
  });

  it("a reload between upload and check continues: the state says 'uploaded', then finish makes it ready", async () => {
    const user = newTestUser();
    const uploadId = await uploadPicture(user, await sharp(await photoLike(300, 300)).jpeg().toBuffer());
    expect(await getUploadState(user, uploadId)).toEqual({ uploadId, status: "uploaded" });
    await finishUpload(user, uploadId);
    expect((await getUploadState(user, uploadId)).status).toBe("ready");
    expect((await finishUpload(user, uploadId)).status).toBe("ready"); // idempotent
  });
});

describe("history", () => {
  it("lists newest first, a page at a time; select and delete change the current avatar", async () => {
    const user = newTestUser();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { uploadId } = await readyUpload(user, await sharp(await photoLike(300, 300, i + 10)).jpeg().toBuffer());
      const crop = await cropUpload(user, uploadId, { left: 0, top: 0, width: 300, height: 300, rotation: 0 });
      ids.push((await saveAvatar(user, uploadId, crop.cropId)).avatarId);
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct milliseconds in the ids
    }
    const first = await listAvatars(user, { limit: 2 });
    expect(first.items.map((i) => i.avatarId)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]?.current).toBe(true);
    expect(first.nextCursor).toBeTruthy();
    const second = await listAvatars(user, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((i) => i.avatarId)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeUndefined();

    await selectAvatar(user, ids[0]!);
    expect((await getCurrentAvatar(user))?.avatarId).toBe(ids[0]);

    expect(await deleteAvatar(user, ids[0]!)).toEqual({ wasCurrent: true });
    expect(await getCurrentAvatar(user)).toBeNull();
    expect(await headObject(renditionKey(user, ids[0]!, 64))).toBeNull();
    expect((await listAvatars(user, { limit: 10 })).items.map((i) => i.avatarId)).toEqual([ids[2], ids[1]]);
    await expect(deleteAvatar(user, ids[0]!)).rejects.toMatchObject({ code: "avatar_not_found", status: 404 });
    await expect(selectAvatar(user, ids[0]!)).rejects.toMatchObject({ status: 404 });
  });
});

describe("another user's ids", () => {
  it("are not found for every step, and change nothing", async () => {
    const owner = newTestUser();
    const intruder = newTestUser();
    const { uploadId } = await readyUpload(owner);
    const crop = await cropUpload(owner, uploadId, { left: 0, top: 0, width: 400, height: 400, rotation: 0 });

    await expect(getUploadState(intruder, uploadId)).rejects.toMatchObject({ status: 404 });
    await expect(finishUpload(intruder, uploadId)).rejects.toMatchObject({ status: 404 });
    await expect(cropUpload(intruder, uploadId, { left: 0, top: 0, width: 10, height: 10, rotation: 0 })).rejects.toMatchObject({ status: 404 });
    await expect(getCrop(intruder, uploadId, crop.cropId)).rejects.toMatchObject({ status: 404 });
    await expect(saveAvatar(intruder, uploadId, crop.cropId)).rejects.toMatchObject({ status: 404 });
    expect(await getCurrentAvatar(intruder)).toBeNull();

    const saved = await saveAvatar(owner, uploadId, crop.cropId);
    await expect(selectAvatar(intruder, saved.avatarId)).rejects.toMatchObject({ status: 404 });
    await expect(deleteAvatar(intruder, saved.avatarId)).rejects.toMatchObject({ status: 404 });
    expect((await getCurrentAvatar(owner))?.avatarId).toBe(saved.avatarId);
  });
});

describe("bad input is refused clearly and leaves nothing behind", () => {
  it("refuses to presign an upload over the limit or of a non-image type", async () => {
    const user = newTestUser();
    await expect(startUpload(user, { contentType: "image/png", size: 3 * 1024 * 1024 })).rejects.toMatchObject({
      code: "file_too_large",
      status: 413,
      message: "The file is 3 MB; the limit is 2 MB.",
    });
  });

  it.each([
    ["a text file named .jpg", Buffer.from("just some text, not a picture at all"), "not_an_image", 422],
    ["an HTML page", Buffer.from("<html><script>alert(1)</script></html>"), "not_an_image", 422],
  ])("%s: not_an_image, and the object is deleted", async (_, bytes, code, status) => {
    const user = newTestUser();
    const uploadId = await uploadPicture(user, bytes);
    await expect(finishUpload(user, uploadId)).rejects.toMatchObject({ code, status });
    expect(await headObject(originalKey(user, uploadId))).toBeNull();
  });

  it("a truncated JPEG: corrupt_image, and the object is deleted", async () => {
    const user = newTestUser();
    const jpeg = await sharp(await photoLike(800, 600)).jpeg({ quality: 90 }).toBuffer();
    const uploadId = await uploadPicture(user, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    await expect(finishUpload(user, uploadId)).rejects.toMatchObject({ code: "corrupt_image", status: 422 });
    expect((await listKeys(uploadPrefix(user, uploadId))).keys).toEqual([]);
  });

  it("a file over the limit that this S3 let through (s3rver ignores POST policies): refused by the app's own check", async () => {
    const user = newTestUser();
    const started = await startUpload(user, { contentType: "image/jpeg", size: 1000 });
    const oversized = Buffer.alloc(2 * 1024 * 1024 + 1, 1);
    const response = await sendToS3(started.upload, oversized, "image/jpeg");
    if (response.status >= 300) {
      // An S3 that enforces the policy refused it itself: also fine, and nothing was written.
      expect(await headObject(originalKey(user, started.uploadId))).toBeNull();
      return;
    }
    await expect(finishUpload(user, started.uploadId)).rejects.toMatchObject({ code: "file_too_large", status: 413 });
    expect(await headObject(originalKey(user, started.uploadId))).toBeNull();
  });

  it("finishing an upload that never arrived: upload_not_found", async () => {
    const user = newTestUser();
    const started = await startUpload(user, { contentType: "image/jpeg", size: 1000 });
    await expect(finishUpload(user, started.uploadId)).rejects.toMatchObject({ code: "upload_not_found", status: 404 });
  });

  it.each([
    [{ left: 0, top: 0, width: 900, height: 900, rotation: 0 as const }, /outside the picture/],
    [{ left: 0, top: 0, width: 300, height: 100, rotation: 0 as const }, /square/],
    [{ left: 700, top: 0, width: 200, height: 200, rotation: 90 as const }, /outside/],
  ])("a malformed crop %j: invalid_crop, no crop written", async (crop, message) => {
    const user = newTestUser();
    const { uploadId } = await readyUpload(user, await sharp(await photoLike(800, 600)).jpeg().toBuffer());
    await expect(cropUpload(user, uploadId, crop)).rejects.toMatchObject({ code: "invalid_crop", status: 400, message });
    expect((await listKeys(`${uploadPrefix(user, uploadId)}crops/`)).keys).toEqual([]);
  });
});
