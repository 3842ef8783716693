import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";

import { snapshotEnv } from "@/tools/app-env";
import { photoLike } from "@/test/harness/images";

/** Abuse limits, with small limits set before any app module reads the env (restored after). */

const restoreEnv = snapshotEnv();
Object.assign(process.env, { UPLOADS_PER_HOUR: "3", IMAGE_JOBS_MAX: "1", IMAGE_QUEUE_MAX: "0" });
afterAll(restoreEnv);

const app = async () => (await import("./helpers")).loadUseCases();

describe("abuse limits", () => {
  it("bounds uploads per user per hour with 429 and a Retry-After, per user", async () => {
    const { startUpload, newTestUser, ensureBucket } = await app();
    await ensureBucket();
    const user = newTestUser();
    for (let i = 0; i < 3; i++) await startUpload(user, { contentType: "image/png", size: 100 });
    const refused = startUpload(user, { contentType: "image/png", size: 100 });
    await expect(refused).rejects.toMatchObject({ code: "rate_limited", status: 429, message: /3 uploads per hour/ });
    const error = (await refused.then(
      () => undefined,
      (e: unknown) => e,
    )) as { retryAfterSeconds: number };
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(3600);
    // another user is not affected
    await expect(startUpload(newTestUser(), { contentType: "image/png", size: 100 })).resolves.toBeTruthy();
  });

  it("holds the hourly bound under a burst: 12 parallel starts by one user admit at most 3", async () => {
    const { startUpload, newTestUser } = await app();
    const { listKeys } = await import("@/lib/storage/objects");
    const { uploadsStartedPrefix } = await import("@/lib/storage/keys");
    const user = newTestUser();
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => startUpload(user, { contentType: "image/png", size: 100 })));
    const admitted = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.filter((r) => r.status === "rejected");
    console.log(`12 parallel starts with UPLOADS_PER_HOUR=3: ${admitted} admitted, ${refused.length} refused`);
    expect(admitted).toBeLessThanOrEqual(3);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "rate_limited", status: 429 });
    // Refused starts leave no marker behind: only the admitted ones count against the hour.
    const markers = await listKeys(uploadsStartedPrefix(user, Math.floor(Date.now() / 3_600_000)));
    expect(markers.keys.length).toBe(admitted);
    // Once the burst is over, the user is not locked out while the hour has room.
    if (admitted < 3) await expect(startUpload(user, { contentType: "image/png", size: 100 })).resolves.toBeTruthy();
  });

  it("bounds concurrent image jobs per instance: beyond the bound a request gets 429, not a queue without end", async () => {
    const { startUpload, finishUpload, newTestUser, sendToS3 } = await app();
    const user = newTestUser();
    const bytes = await sharp(await photoLike(2400, 1800, 8)).jpeg({ quality: 92 }).toBuffer();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const started = await startUpload(user, { contentType: "image/jpeg", size: bytes.length });
      expect((await sendToS3(started.upload, bytes, "image/jpeg")).status).toBeLessThan(300);
      ids.push(started.uploadId);
    }
    const results = await Promise.allSettled(ids.map((id) => finishUpload(user, id)));
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "rate_limited", status: 429, retryAfterSeconds: 3 });
    // a refused check is not a failed upload: retrying it later succeeds
    for (const id of ids) await expect(finishUpload(user, id)).resolves.toMatchObject({ status: "ready" });
  });

  it("a save is not an image job: it completes while every image slot is busy (crops then get 429)", async () => {
    const { startUpload, finishUpload, cropUpload, saveAvatar, withImageSlot, newTestUser, sendToS3 } = await app();
    const user = newTestUser();
    const bytes = await sharp(await photoLike(900, 700, 9)).jpeg().toBuffer();
    const started = await startUpload(user, { contentType: "image/jpeg", size: bytes.length });
    expect((await sendToS3(started.upload, bytes, "image/jpeg")).status).toBeLessThan(300);
    await finishUpload(user, started.uploadId);
    const crop = await cropUpload(user, started.uploadId, { left: 0, top: 0, width: 600, height: 600, rotation: 0 });

    // Another user's picture holds the only slot (IMAGE_JOBS_MAX 1, no queue) until released.
    let release!: () => void;
    const busy = withImageSlot(newTestUser(), () => new Promise<void>((resolve) => (release = resolve)));
    try {
      await expect(cropUpload(user, started.uploadId, { left: 0, top: 0, width: 300, height: 300, rotation: 0 })).rejects.toMatchObject({ code: "rate_limited" });
      await expect(saveAvatar(user, started.uploadId, crop.cropId)).resolves.toMatchObject({ avatarId: crop.cropId, current: true });
    } finally {
      release();
      await busy;
    }
  });
});
