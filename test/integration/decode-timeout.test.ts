import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";

import { snapshotEnv } from "@/tools/app-env";

/** libvips's time on one picture (IMAGE_DECODE_TIMEOUT_SECONDS), at its smallest here, set before any app module reads the env. */

const restoreEnv = snapshotEnv();
Object.assign(process.env, { IMAGE_DECODE_TIMEOUT_SECONDS: "1" });
afterAll(restoreEnv);

describe("decode time limit (IMAGE_DECODE_TIMEOUT_SECONDS=1)", () => {
  it("refuses a picture libvips needs longer for with 422 image_too_slow and a sentence, and leaves nothing of the upload", async () => {
    const { startUpload, finishUpload, ensureBucket, newTestUser, sendToS3 } = await (await import("./helpers")).loadUseCases();
    await ensureBucket();
    // 25 MP, 16 bits per channel, interlaced: about 1.5 MB, several seconds of libvips's time to decode.
    const side = 5000;
    const bytes = await sharp({ create: { width: side, height: side, channels: 3, background: "#884422" } })
      .toColourspace("rgb16")
      .png({ progressive: true, compressionLevel: 1 })
      .toBuffer();
    const user = newTestUser();
    const started = await startUpload(user, { contentType: "image/png", size: bytes.length });
    expect((await sendToS3(started.upload, bytes, "image/png")).status).toBeLessThan(300);
    await expect(finishUpload(user, started.uploadId)).rejects.toMatchObject({
      code: "image_too_slow",
      status: 422,
      message: "This picture takes more than 1 second to read. Please save it as a JPEG, or smaller, and upload that.",
    });
    const { listKeys } = await import("@/lib/storage/objects");
    const { uploadPrefix } = await import("@/lib/storage/keys");
    expect((await listKeys(uploadPrefix(user, started.uploadId))).keys).toEqual([]);
  });
});
