import sharp from "sharp";
import { thumbHashToAverageRGBA } from "thumbhash";
import { beforeAll, describe, expect, it } from "vitest";

import { cropUpload } from "@/lib/avatars/crop";
import { getCurrentAvatar } from "@/lib/avatars/current-avatar";
import { finishUpload } from "@/lib/avatars/finish-upload";
import { listAvatars, selectAvatar } from "@/lib/avatars/history";
import { THUMB_HASH_PATTERN } from "@/lib/avatars/placeholder";
import { saveAvatar } from "@/lib/avatars/save";
import type { HistoryRecord } from "@/lib/avatars/schemas";
import { startUpload } from "@/lib/avatars/start-upload";
import { currentAvatarKey, historyKey } from "@/lib/storage/keys";
import { getObjectJson, putJson } from "@/lib/storage/objects";

import { ensureBucket, newTestUser, sendToS3 } from "./helpers";

/**
 * Placeholders: the crop step computes a ThumbHash once, the save keeps it in the history
 * record and the current pointer, and every avatar the API returns carries it. Against a real S3.
 */

/** A 900×900 JPEG, left half `left`, right half `right`. */
async function twoColours(left: [number, number, number], right: [number, number, number]): Promise<Buffer> {
  const half = (rgb: [number, number, number]) => sharp({ create: { width: 450, height: 900, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
  return sharp({ create: { width: 900, height: 900, channels: 3, background: "#000" } })
    .composite([
      { input: await half(left), left: 0, top: 0 },
      { input: await half(right), left: 450, top: 0 },
    ])
    .jpeg({ quality: 92 })
    .toBuffer();
}

async function savedAvatar(userId: string, picture: Buffer) {
  const started = await startUpload(userId, { contentType: "image/jpeg", size: picture.length });
  expect((await sendToS3(started.upload, picture, "image/jpeg")).status).toBeLessThan(300);
  await finishUpload(userId, started.uploadId);
  const crop = await cropUpload(userId, started.uploadId, { left: 0, top: 0, width: 900, height: 900, rotation: 0 });
  return saveAvatar(userId, started.uploadId, crop.cropId);
}

const average = (thumbHash: string) => thumbHashToAverageRGBA(Uint8Array.from(Buffer.from(thumbHash, "base64")));

beforeAll(ensureBucket);

describe("avatar placeholders", () => {
  it("a saved avatar carries a ThumbHash of its picture, in the record, the pointer and the API", async () => {
    const user = newTestUser();
    const avatar = await savedAvatar(user, await twoColours([230, 20, 20], [230, 20, 20]));
    expect(avatar.thumbHash).toMatch(THUMB_HASH_PATTERN);
    const { r, g, b } = average(avatar.thumbHash!);
    expect(r).toBeGreaterThan(0.7); // the picture is red, and so is its placeholder
    expect(g).toBeLessThan(0.2);
    expect(b).toBeLessThan(0.2);

    const record = (await getObjectJson(historyKey(user, avatar.avatarId))) as HistoryRecord;
    expect(record.thumbHash).toBe(avatar.thumbHash);
    expect(((await getObjectJson(currentAvatarKey(user))) as { thumbHash?: string }).thumbHash).toBe(avatar.thumbHash);
    expect((await getCurrentAvatar(user))?.thumbHash).toBe(avatar.thumbHash);
    expect((await listAvatars(user, { limit: 10 })).items.map((item) => item.thumbHash)).toEqual([avatar.thumbHash]);
  });

  it("each avatar keeps its own placeholder when another is selected", async () => {
    const user = newTestUser();
    const red = await savedAvatar(user, await twoColours([230, 20, 20], [230, 20, 20]));
    const blue = await savedAvatar(user, await twoColours([20, 20, 230], [20, 20, 230]));
    expect(blue.thumbHash).not.toBe(red.thumbHash);
    expect(average(blue.thumbHash!).b).toBeGreaterThan(0.7);

    const selected = await selectAvatar(user, red.avatarId);
    expect(selected.thumbHash).toBe(red.thumbHash);
    expect((await getCurrentAvatar(user))?.thumbHash).toBe(red.thumbHash);
    const listed = new Map((await listAvatars(user, { limit: 10 })).items.map((item) => [item.avatarId, item.thumbHash]));
    expect(listed).toEqual(new Map([[red.avatarId, red.thumbHash], [blue.avatarId, blue.thumbHash]]));
  });

  it("avatars saved before placeholders existed (records without one) still list, select and show, without a placeholder", async () => {
    const user = newTestUser();
    const avatar = await savedAvatar(user, await twoColours([20, 200, 20], [200, 200, 20]));
    // Rewrite the records as an earlier version of the app wrote them.
    const { thumbHash, ...older } = (await getObjectJson(historyKey(user, avatar.avatarId))) as HistoryRecord;
    expect(thumbHash).toMatch(THUMB_HASH_PATTERN);
    await putJson(historyKey(user, avatar.avatarId), older);
    await putJson(currentAvatarKey(user), { version: 1, avatarId: avatar.avatarId, sizes: older.sizes, updatedAt: new Date().toISOString() });

    const current = await getCurrentAvatar(user);
    expect(current?.avatarId).toBe(avatar.avatarId);
    expect(current).not.toHaveProperty("thumbHash");
    const [listed] = (await listAvatars(user, { limit: 10 })).items;
    expect(listed?.avatarId).toBe(avatar.avatarId);
    expect(listed).not.toHaveProperty("thumbHash");
    expect(await selectAvatar(user, avatar.avatarId)).not.toHaveProperty("thumbHash");
  });

  it("saving the same crop twice (a retry after the crop was cleaned up) keeps the placeholder", async () => {
    const user = newTestUser();
    const picture = await twoColours([230, 120, 20], [20, 120, 230]);
    const started = await startUpload(user, { contentType: "image/jpeg", size: picture.length });
    await sendToS3(started.upload, picture, "image/jpeg");
    await finishUpload(user, started.uploadId);
    const crop = await cropUpload(user, started.uploadId, { left: 0, top: 0, width: 900, height: 900, rotation: 0 });
    const first = await saveAvatar(user, started.uploadId, crop.cropId);
    const again = await saveAvatar(user, started.uploadId, crop.cropId); // the crop is gone now: read back from the record
    expect(again.thumbHash).toBe(first.thumbHash);
    expect(first.thumbHash).toMatch(THUMB_HASH_PATTERN);
  });
});
