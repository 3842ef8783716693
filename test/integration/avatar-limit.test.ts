import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";

import { snapshotEnv } from "@/tools/app-env";
import { photoLike } from "@/test/harness/images";

/** The cap on saved avatars per user (AVATARS_PER_USER), small here, set before any app module reads the env. */

const restoreEnv = snapshotEnv();
Object.assign(process.env, { AVATARS_PER_USER: "3", IMAGE_JOBS_PER_USER: "1", IMAGE_QUEUE_PER_USER: "8", IMAGE_QUEUE_MAX: "8" });
afterAll(restoreEnv);

/** A save deletes its upload's other crops once done: left undone here (the lifecycle rule's job), so one upload serves every save. */
const keepUpload = { runAfterResponse: () => undefined };

async function setUp(crops: number) {
  const helpers = await (await import("./helpers")).loadUseCases();
  const { startUpload, finishUpload, cropUpload, ensureBucket, newTestUser, sendToS3 } = helpers;
  await ensureBucket();
  const user = newTestUser();
  const bytes = await sharp(await photoLike(640, 480, 5)).jpeg().toBuffer();
  const started = await startUpload(user, { contentType: "image/jpeg", size: bytes.length });
  expect((await sendToS3(started.upload, bytes, "image/jpeg")).status).toBeLessThan(300);
  await finishUpload(user, started.uploadId);
  const cropIds: string[] = [];
  for (let i = 0; i < crops; i++) cropIds.push((await cropUpload(user, started.uploadId, { left: i * 10, top: 0, width: 400, height: 400, rotation: 0 })).cropId);
  const { listKeys } = await import("@/lib/storage/objects");
  const { historyPrefix, renditionsPrefix } = await import("@/lib/storage/keys");
  const saved = async () => (await listKeys(historyPrefix(user))).keys.length;
  const renditions = async () => (await listKeys(renditionsPrefix(user))).keys.length;
  return { ...helpers, user, uploadId: started.uploadId, cropIds, saved, renditions };
}

describe("saved avatars per user (AVATARS_PER_USER=3)", () => {
  it("refuses the 4th save with 409 and a sentence saying what to do; a retry of a saved one and a save after a delete succeed", async () => {
    const { saveAvatar, user, uploadId, cropIds, saved, renditions } = await setUp(5);
    for (const id of cropIds.slice(0, 3)) await saveAvatar(user, uploadId, id, keepUpload);
    const refused = saveAvatar(user, uploadId, cropIds[3]!, keepUpload);
    await expect(refused).rejects.toMatchObject({ code: "avatar_limit_reached", status: 409, message: /You have 3 saved avatars.*Delete some/ });
    // Nothing of the refused save was written.
    expect(await saved()).toBe(3);
    expect(await renditions()).toBe(3 * 4);
    // Saving an avatar already saved (a retry) is not a new one.
    await expect(saveAvatar(user, uploadId, cropIds[0]!, keepUpload)).resolves.toMatchObject({ avatarId: cropIds[0], current: true });
    const { deleteAvatar } = await import("@/lib/avatars/history");
    await deleteAvatar(user, cropIds[1]!);
    await expect(saveAvatar(user, uploadId, cropIds[3]!, keepUpload)).resolves.toMatchObject({ avatarId: cropIds[3], current: true });
    expect(await saved()).toBe(3);
  });

  it("holds under concurrent saves: 6 crops of one upload saved at once keep at most 3, the others refused with 409 and nothing left", async () => {
    const { saveAvatar, user, uploadId, cropIds, saved, renditions } = await setUp(6);
    const results = await Promise.allSettled(cropIds.map((id) => saveAvatar(user, uploadId, id, keepUpload)));
    const kept = results.filter((r) => r.status === "fulfilled").length;
    console.log(`6 concurrent saves with AVATARS_PER_USER=3: ${kept} saved, ${6 - kept} refused`);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "avatar_limit_reached", status: 409 });
    expect(await saved()).toBe(kept);
    expect(kept).toBeLessThanOrEqual(3);
    expect(await renditions()).toBe(kept * 4);
    // Once the burst is over the user is not locked out while there is room.
    const rest = cropIds.filter((_, i) => results[i]!.status === "rejected");
    for (const id of rest.slice(0, 3 - kept)) await expect(saveAvatar(user, uploadId, id, keepUpload)).resolves.toMatchObject({ avatarId: id });
    expect(await saved()).toBe(3);
  });
});
