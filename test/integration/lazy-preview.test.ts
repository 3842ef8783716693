import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { cropUpload } from "@/lib/avatars/crop";
import { finishUpload } from "@/lib/avatars/finish-upload";
import { toPreviewMetadata } from "@/lib/avatars/preview-metadata";
import { saveAvatar } from "@/lib/avatars/save";
import { startUpload } from "@/lib/avatars/start-upload";
import { checkedPreviewUrl, getUploadState } from "@/lib/avatars/upload-state";
import { checkedKey, previewKey, uploadPrefix } from "@/lib/storage/keys";
import { deleteObjects, getObjectBytes, headObject, listKeys } from "@/lib/storage/objects";
import { contains, faceLike, meanDifference, photoLike, withOrientation } from "@/test/harness/images";

import { ensureBucket, newTestUser, sendToS3 } from "./helpers";

/**
 * The early crop step's finish: the browser shows its own copy, so the server checks the file and
 * finds its subject but makes no preview; the first request that needs one (a reload, another
 * device, the answer's preview URL) makes it, the same picture the eager finish makes.
 */

async function uploaded(userId: string, bytes: Buffer): Promise<string> {
  const started = await startUpload(userId, { contentType: "image/jpeg", size: bytes.length });
  const response = await sendToS3(started.upload, bytes, "image/jpeg");
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return started.uploadId;
}

const download = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

beforeAll(ensureBucket);

describe("finish when the browser shows its own copy", () => {
  it("writes no preview; crop and save work; a reload then makes the preview, the same as the eager finish's", async () => {
    const user = newTestUser();
    // Stored 2000×1350 with EXIF orientation 6: displayed 1350×2000, preview 1080×1600.
    const file = await withOrientation(await photoLike(1350, 2000, 4), 6);
    const lazyId = await uploaded(user, file);
    const eagerId = await uploaded(user, file);

    const lazy = await finishUpload(user, lazyId, { previewInBrowser: true });
    expect(await headObject(previewKey(user, lazyId))).toBeNull();
    expect(await headObject(checkedKey(user, lazyId))).not.toBeNull();
    expect(lazy.preview.url).toBe(`/api/uploads/${lazyId}/preview`);

    const eager = await finishUpload(user, eagerId);
    expect(lazy).toMatchObject({ status: "ready", displayed: eager.displayed, format: "jpeg", bytes: file.length });
    expect(lazy.preview).toMatchObject({ width: eager.preview.width, height: eager.preview.height });
    expect(lazy.displayed).toEqual({ width: 1350, height: 2000 });

    // A reload: the state has a preview now, made on this request, stored for the next one.
    const state = await getUploadState(user, lazyId);
    if (state.status !== "ready") throw new Error("not ready");
    expect(state).toMatchObject({ displayed: lazy.displayed, suggestedCrop: lazy.suggestedCrop, preview: { width: 1080, height: 1600 } });
    expect(state.preview.url).toContain(previewKey(user, lazyId));
    const made = await download(state.preview.url);
    expect(await sharp(made).metadata()).toMatchObject({ format: "webp", width: 1080, height: 1600 });
    expect(made.equals(await download(eager.preview.url)), "byte for byte the eager finish's preview").toBe(true);
    // The same facts (the suggestion is the lazy finish's own, from its smaller analysis copy).
    const withoutSuggestion = (m: Record<string, string> | undefined) => ({ ...m, "suggested-crop": undefined });
    expect(withoutSuggestion((await headObject(previewKey(user, lazyId)))?.metadata)).toEqual(withoutSuggestion((await headObject(previewKey(user, eagerId)))?.metadata));
    // The next request finds it (the same object, nothing made again: the preview's date stays).
    const stored = (await headObject(previewKey(user, lazyId)))?.lastModified;
    expect(new URL(await checkedPreviewUrl(user, lazyId)).pathname).toBe(new URL(state.preview.url).pathname);
    expect((await headObject(previewKey(user, lazyId)))?.lastModified).toEqual(stored);

    const crop = await cropUpload(user, lazyId, { left: 100, top: 100, width: 1200, height: 1200, rotation: 90 as const });
    const eagerCrop = await cropUpload(user, eagerId, { left: 100, top: 100, width: 1200, height: 1200, rotation: 90 as const });
    const [a, b] = await Promise.all([getObjectBytes(`${uploadPrefix(user, lazyId)}crops/${crop.cropId}/512.webp`, 1e7), getObjectBytes(`${uploadPrefix(user, eagerId)}crops/${eagerCrop.cropId}/512.webp`, 1e7)]);
    expect(await meanDifference(a!, b!)).toBe(0);
    await saveAvatar(user, lazyId, crop.cropId);
    expect((await listKeys(uploadPrefix(user, lazyId))).keys).toEqual([]);
  });

  it("crop and save without any preview ever made", async () => {
    const user = newTestUser();
    const uploadId = await uploaded(user, await sharp(await photoLike(1700, 1130, 2)).jpeg({ quality: 90 }).toBuffer());
    await finishUpload(user, uploadId, { previewInBrowser: true });
    const crop = await cropUpload(user, uploadId, { left: 0, top: 0, width: 1130, height: 1130, rotation: 0 });
    expect((await listKeys(uploadPrefix(user, uploadId))).keys.some((key) => key.endsWith("preview.webp"))).toBe(false);
    expect(await saveAvatar(user, uploadId, crop.cropId)).toMatchObject({ avatarId: crop.cropId, current: true });
  });

  it("finds the subject as the eager finish does", async () => {
    const user = newTestUser();
    const subject = { left: 1850, top: 500, width: 400, height: 480 };
    const file = await sharp(await faceLike(2400, 1600, subject, 7)).jpeg({ quality: 90 }).toBuffer();
    const lazy = await finishUpload(user, await uploaded(user, file), { previewInBrowser: true });
    const eager = await finishUpload(user, await uploaded(user, file));
    expect(contains(lazy.suggestedCrop!, subject), JSON.stringify(lazy.suggestedCrop)).toBe(true);
    expect(lazy.suggestedCrop).toMatchObject({ width: 1600, height: 1600 });
    // One analysis pixel of the preview's short side is 1600 / 128 = 12.5 displayed pixels here.
    expect(Math.abs(lazy.suggestedCrop!.left - eager.suggestedCrop!.left)).toBeLessThanOrEqual(25);
  });

  it("suggests the largest square when the analysis copy's width was rounded (1600×1000: 410×256)", async () => {
    const user = newTestUser();
    const file = await sharp(await faceLike(1600, 1000, { left: 1100, top: 300, width: 300, height: 360 }, 3)).jpeg({ quality: 90 }).toBuffer();
    const lazy = await finishUpload(user, await uploaded(user, file), { previewInBrowser: true });
    expect(lazy.suggestedCrop).toMatchObject({ width: 1000, height: 1000 });
  });

  it("a truncated JPEG is refused as before, and nothing is left", async () => {
    const user = newTestUser();
    const jpeg = await sharp(await photoLike(1700, 1130)).jpeg({ quality: 90 }).toBuffer();
    const uploadId = await uploaded(user, jpeg.subarray(0, Math.floor(jpeg.length * 0.8)));
    await expect(finishUpload(user, uploadId, { previewInBrowser: true })).rejects.toMatchObject({ code: "corrupt_image", status: 422 });
    expect((await listKeys(uploadPrefix(user, uploadId))).keys).toEqual([]);
  });

  it("before the check: the preview's URL and the crop say the upload is not checked yet", async () => {
    const user = newTestUser();
    const uploadId = await uploaded(user, await sharp(await photoLike(300, 300)).jpeg().toBuffer());
    await expect(checkedPreviewUrl(user, uploadId)).rejects.toMatchObject({ code: "upload_incomplete", status: 409 });
    await expect(cropUpload(user, uploadId, { left: 0, top: 0, width: 300, height: 300, rotation: 0 })).rejects.toMatchObject({ code: "upload_incomplete" });
    expect(await headObject(previewKey(user, uploadId))).toBeNull();
  });

  it("an upload checked by an instance from before the checked object (facts on its preview) still crops and reloads", async () => {
    const user = newTestUser();
    const uploadId = await uploaded(user, await sharp(await photoLike(800, 600)).jpeg().toBuffer());
    const ready = await finishUpload(user, uploadId);
    await deleteObjects([checkedKey(user, uploadId)]);
    expect((await headObject(previewKey(user, uploadId)))?.metadata).toEqual(toPreviewMetadata({ displayed: ready.displayed, format: "jpeg", bytes: ready.bytes, preview: ready.preview, suggested: ready.suggestedCrop }));
    expect((await getUploadState(user, uploadId)).status).toBe("ready");
    expect((await cropUpload(user, uploadId, { left: 0, top: 0, width: 600, height: 600, rotation: 0 })).cropId).toBeTruthy();
  });
});
