import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { finishUpload } from "@/lib/avatars/finish-upload";
import { startUpload } from "@/lib/avatars/start-upload";
import { getUploadState } from "@/lib/avatars/upload-state";
import { relativeCentre } from "@/lib/images/suggested-crop";
import { contains, detailPatch, faceLike, withOrientation, type Subject } from "@/test/harness/images";

import { ensureBucket, newTestUser, sendToS3 } from "./helpers";

/**
 * The crop step opens on the server's suggestion: through the real finish step (preview, analysis,
 * metadata on S3, read back by another request), the suggested square holds an off-centre subject.
 */

async function checkUpload(userId: string, bytes: Buffer) {
  const started = await startUpload(userId, { contentType: "image/jpeg", size: bytes.length });
  const response = await sendToS3(started.upload, bytes, "image/jpeg");
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  const ready = await finishUpload(userId, started.uploadId);
  // What a reload or another instance sees: read back from the preview's metadata.
  const state = await getUploadState(userId, started.uploadId);
  expect(state).toMatchObject({ status: "ready", displayed: ready.displayed, suggestedCrop: ready.suggestedCrop });
  return ready;
}

const jpeg = (png: Buffer) => sharp(png).jpeg({ quality: 90 }).toBuffer();

beforeAll(ensureBucket);

type Case = { name: string; width: number; height: number; subject: Subject; make: typeof faceLike; orientation?: number };

// Subjects a quarter of the short side wide, where a centred square would cut them or miss them.
const CASES: Case[] = [
  { name: "a face-like blob near the right edge (landscape)", width: 2400, height: 1600, subject: { left: 1850, top: 500, width: 400, height: 480 }, make: faceLike },
  { name: "a face-like blob left of centre (landscape)", width: 2400, height: 1600, subject: { left: 300, top: 700, width: 400, height: 480 }, make: faceLike },
  { name: "a face-like blob near the top (portrait)", width: 1200, height: 2000, subject: { left: 500, top: 80, width: 300, height: 360 }, make: faceLike },
  { name: "a high-detail patch near the left edge (landscape)", width: 2400, height: 1600, subject: { left: 60, top: 300, width: 400, height: 400 }, make: detailPatch },
  { name: "a high-detail patch low in the picture (portrait)", width: 1200, height: 2000, subject: { left: 200, top: 1500, width: 350, height: 350 }, make: detailPatch },
  // Stored turned, with an EXIF tag to turn it back: the subject is where the upright picture has it.
  { name: "a face-like blob right of centre, stored with orientation 6", width: 2400, height: 1600, subject: { left: 1700, top: 400, width: 400, height: 480 }, make: faceLike, orientation: 6 },
  { name: "a high-detail patch, stored with orientation 5", width: 1200, height: 2000, subject: { left: 600, top: 1400, width: 350, height: 350 }, make: detailPatch, orientation: 5 },
];

describe("the suggested crop holds an off-centre subject", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const upright = await c.make(c.width, c.height, c.subject, 7);
    const file = c.orientation ? await withOrientation(upright, c.orientation) : await jpeg(upright);
    const ready = await checkUpload(newTestUser(), file);
    expect(ready.displayed).toEqual({ width: c.width, height: c.height });
    const suggested = ready.suggestedCrop!;
    expect(suggested, "a suggestion was stored").toBeDefined();
    expect(suggested.width).toBe(Math.min(c.width, c.height));
    expect(suggested.height).toBe(suggested.width);
    expect(contains(suggested, c.subject), `${JSON.stringify(suggested)} contains ${JSON.stringify(c.subject)}`).toBe(true);
    // and a centred square would not have: the test can tell a suggestion from the default
    const side = suggested.width;
    const centred = { left: Math.round((c.width - side) / 2), top: Math.round((c.height - side) / 2), width: side, height: side };
    expect(contains(centred, c.subject)).toBe(false);
  });
});

const SHARED = path.resolve(__dirname, "../../../shared/fixtures/exif-orientation");
const haveShared = existsSync(path.join(SHARED, "Landscape_1.jpg"));
if (!haveShared) {
  console.warn(`[suggested-crop.test] DID NOT RUN the real-photo EXIF tests: ${SHARED} does not exist (team fixtures are only on team machines and CI).`);
}

/**
 * One analysis pixel is 1/128 of the preview's short side. The nine files of a kind are the same
 * photo stored nine ways, each JPEG-encoded on its own, so their pixels differ slightly and the
 * analysis may move by a pixel or two: allowed, 3/128 of the short side (along the only axis the
 * largest square can move). A suggestion that ignored the orientation lands on the other side of
 * the picture, or on the other axis, which this tolerance is far from.
 */
const TOLERANCE = 3 / 128;

describe.skipIf(!haveShared)("real photos with EXIF orientations 0-8: the suggestion is at the same place of the upright picture", () => {
  it.each(["Landscape", "Portrait"] as const)("all nine %s files", async (kind) => {
    const centres: { x: number; y: number }[] = [];
    let shortOverLong = 1;
    for (let n = 0; n <= 8; n++) {
      const ready = await checkUpload(newTestUser(), readFileSync(path.join(SHARED, `${kind}_${n}.jpg`)));
      shortOverLong = Math.min(ready.displayed.width, ready.displayed.height) / Math.max(ready.displayed.width, ready.displayed.height);
      centres.push(relativeCentre(ready.suggestedCrop!, ready.displayed));
    }
    console.info(`[suggested-crop.test] ${kind}: suggested centres ${centres.map((c) => `(${c.x.toFixed(3)}, ${c.y.toFixed(3)})`).join(" ")}`);
    for (const centre of centres.slice(1)) {
      // Expressed as a fraction of the long side, which is the one the square moves along.
      expect(Math.abs(centre.x - centres[0]!.x)).toBeLessThanOrEqual(TOLERANCE * shortOverLong);
      expect(Math.abs(centre.y - centres[0]!.y)).toBeLessThanOrEqual(TOLERANCE * shortOverLong);
    }
  });
});
