import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { snapshotEnv } from "@/tools/app-env";
import { startEmbeddedS3, type EmbeddedS3 } from "@/tools/embedded-s3";
import { photoLike } from "@/test/harness/images";

/**
 * Faults: this file runs its own S3 server so it can stop, freeze and restart it. The env is set
 * before any app module reads it (each test file has its own module registry) and restored after.
 */

const restoreEnv = snapshotEnv();
// Its own folder, not a throw-away server: a test stops S3 and starts it again on the same data.
const dir = mkdtempSync(path.join(tmpdir(), "avatar-relay-faults-"));
let s3: EmbeddedS3;

async function app() {
  const [start, finish, crop, save, history, current, objects, keys, helpers] = await Promise.all([
    import("@/lib/avatars/start-upload"),
    import("@/lib/avatars/finish-upload"),
    import("@/lib/avatars/crop"),
    import("@/lib/avatars/save"),
    import("@/lib/avatars/history"),
    import("@/lib/avatars/current-avatar"),
    import("@/lib/storage/objects"),
    import("@/lib/storage/keys"),
    import("./helpers"),
  ]);
  return { ...start, ...finish, ...crop, ...save, ...history, ...current, ...objects, ...keys, ...helpers };
}

beforeAll(async () => {
  s3 = await startEmbeddedS3({ port: 0, directory: dir });
  Object.assign(process.env, { S3_ENDPOINT: s3.endpoint, S3_BUCKET: "faults", S3_REQUEST_TIMEOUT_MS: "1500" });
  await (await app()).ensureBucket();
});

afterAll(async () => {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
  restoreEnv();
});

async function readyUpload(user: string) {
  const { startUpload, sendToS3, finishUpload } = await app();
  const bytes = await sharp(await photoLike(600, 600, 4)).jpeg().toBuffer();
  const started = await startUpload(user, { contentType: "image/jpeg", size: bytes.length });
  expect((await sendToS3(started.upload, bytes, "image/jpeg")).status).toBeLessThan(300);
  await finishUpload(user, started.uploadId);
  return started.uploadId;
}

/** Settles within 15 s whatever happens, so a hung call fails this test instead of freezing the file. */
async function timed<T>(promise: Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const start = performance.now();
  const limit = new Promise<T>((_, reject) => setTimeout(() => reject(new Error("still hanging after 15 s")), 15_000).unref());
  const [result] = await Promise.allSettled([Promise.race([promise, limit])]);
  return { ms: performance.now() - start, result: result! };
}

describe("S3 unreachable", () => {
  it("answers storage_unavailable (503) quickly when S3 is down, and the same wizard continues once it is back", async () => {
    const { newTestUser, cropUpload, saveAvatar, getCurrentAvatar } = await app();
    const user = newTestUser();
    const uploadId = await readyUpload(user);
    const port = s3.port;

    await s3.close(); // S3 goes away between step 1 and step 2
    const down = await timed(cropUpload(user, uploadId, { left: 0, top: 0, width: 300, height: 300, rotation: 0 }));
    expect(down.result.status).toBe("rejected");
    expect((down.result as PromiseRejectedResult).reason).toMatchObject({ code: "storage_unavailable", status: 503, retryAfterSeconds: 5 });
    expect(down.ms).toBeLessThan(5_000);

    s3 = await startEmbeddedS3({ port, directory: dir }); // back, same data
    const crop = await cropUpload(user, uploadId, { left: 0, top: 0, width: 300, height: 300, rotation: 0 });
    await saveAvatar(user, uploadId, crop.cropId);
    expect((await getCurrentAvatar(user))?.avatarId).toBe(crop.cropId);
  });

  it("whether a user's sessions were ended cannot be read while S3 is down: the session is accepted and that is not remembered", async () => {
    const { newTestUser, putJson } = await app();
    const { isSessionEnded } = await import("@/lib/auth/sessions-ended");
    const { sessionsEndedKey } = await import("@/lib/storage/keys");
    const user = newTestUser();
    const phone = { sid: "phone", at: Date.now() - 60_000 };
    const port = s3.port;
    await s3.close();
    try {
      // Pages still render; anything the session then asks of S3 fails the same way.
      expect(await isSessionEnded(user, phone)).toBe(false);
    } finally {
      s3 = await startEmbeddedS3({ port, directory: dir });
    }
    // Ended by another instance meanwhile: read at the next request, not hidden by the outage.
    await putJson(sessionsEndedKey(user), { version: 1, endedAt: Date.now(), kept: "laptop" });
    expect(await isSessionEnded(user, phone, Date.now() + 1)).toBe(true);
  });

  it("answers storage_unavailable within a bounded time when S3 hangs (process frozen), and works once it resumes", async () => {
    const { newTestUser, listAvatars } = await app();
    const user = newTestUser();
    process.kill(s3.pid, "SIGSTOP");
    try {
      const hung = await timed(listAvatars(user, { limit: 5 }));
      expect((hung.result as PromiseRejectedResult).reason).toMatchObject({ code: "storage_unavailable" });
      // two attempts of S3_REQUEST_TIMEOUT_MS (1.5 s) plus the SDK's back-off
      expect(hung.ms).toBeLessThan(6_000);
    } finally {
      process.kill(s3.pid, "SIGCONT");
    }
    expect((await listAvatars(user, { limit: 5 })).items).toEqual([]);
  });
});

describe("interrupted and racing saves", () => {
  it("a save that died after the history record but before the current pointer completes on retry", async () => {
    const { newTestUser, cropUpload, saveAvatar, getCurrentAvatar, listAvatars, historyKey, putJson, renditionKey, putObject, getObjectBytes, cropKey, RENDITION_SIZES } =
      await app();
    const user = newTestUser();
    const uploadId = await readyUpload(user);
    const crop = await cropUpload(user, uploadId, { left: 0, top: 0, width: 400, height: 400, rotation: 0 });
    // What the dead instance wrote: every rendition and the history record, no pointer, no cleanup.
    const cropBytes = (await getObjectBytes(cropKey(user, uploadId, crop.cropId, 512), 1e7))!;
    for (const size of RENDITION_SIZES) {
      await putObject(renditionKey(user, crop.cropId, size), await sharp(cropBytes).resize(size, size).webp().toBuffer(), { contentType: "image/webp" });
    }
    await putJson(historyKey(user, crop.cropId), { version: 1, avatarId: crop.cropId, sizes: [...RENDITION_SIZES], createdAt: new Date().toISOString(), uploadId });
    expect(await getCurrentAvatar(user)).toBeNull();

    await saveAvatar(user, uploadId, crop.cropId);
    expect((await getCurrentAvatar(user))?.avatarId).toBe(crop.cropId);
    expect((await listAvatars(user, { limit: 5 })).items).toHaveLength(1);
  });

  it("two saves of different crops racing: the result is one of them, whole", async () => {
    const { newTestUser, cropUpload, saveAvatar, getCurrentAvatar, headObject, renditionKey, RENDITION_SIZES, getObjectBytes } = await app();
    const user = newTestUser();
    const uploadId = await readyUpload(user);
    const a = await cropUpload(user, uploadId, { left: 0, top: 0, width: 300, height: 300, rotation: 0 });
    const b = await cropUpload(user, uploadId, { left: 300, top: 300, width: 300, height: 300, rotation: 180 });
    const results = await Promise.allSettled([saveAvatar(user, uploadId, a.cropId), saveAvatar(user, uploadId, b.cropId)]);
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "crop_not_found", status: 404 });

    const current = (await getCurrentAvatar(user))!;
    expect([a.cropId, b.cropId]).toContain(current.avatarId);
    for (const size of RENDITION_SIZES) {
      const bytes = (await getObjectBytes(renditionKey(user, current.avatarId, size), 1e7))!;
      expect((await sharp(bytes).metadata()).width).toBe(size);
    }
    // renditions of the two crops are never mixed: the 64 px of the current avatar matches its 512 px
    const big = await sharp((await getObjectBytes(renditionKey(user, current.avatarId, 512), 1e7))!).resize(64, 64).raw().toBuffer();
    const small = await sharp((await getObjectBytes(renditionKey(user, current.avatarId, 64), 1e7))!).raw().toBuffer();
    let diff = 0;
    for (let i = 0; i < big.length; i++) diff += Math.abs(big[i]! - small[i]!);
    expect(diff / big.length).toBeLessThan(10);
    expect(await headObject(renditionKey(user, current.avatarId, 128))).not.toBeNull();
  });
});
