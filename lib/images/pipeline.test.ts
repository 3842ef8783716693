import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { cropImage } from "@/test/harness/crop-image";
import { describeImage, meanDifference, photoLike, referenceCrop, withOrientation } from "@/test/harness/images";

import { transformedSize, type QuarterTurn } from "./crop-geometry";
import { CROP_OUTPUT_SIDE, previewSizeOf } from "./formats";
import { cropToRenditions, decodeForAnalysis, inspectImage, makePreview } from "./pipeline";

const LIMITS = { maxPixels: 64_000_000, timeoutSeconds: 0 };
const TURNS: QuarterTurn[] = [0, 90, 180, 270];


describe("crop under every EXIF orientation and rotation (generated pictures)", () => {
  let upright: Buffer;
  const files = new Map<number, Buffer>();

  beforeAll(async () => {
    upright = await photoLike(360, 240, 7);
    for (let o = 1; o <= 8; o++) files.set(o, await withOrientation(upright, o));
  });

  it("the generated files display upright once their orientation is applied (checks the fixture maker)", async () => {
    for (const [o, file] of files) {
      const info = await inspectImage(file, LIMITS);
      expect(info.orientation).toBe(o);
      expect(info.displayed).toEqual({ width: 360, height: 240 });
      expect(await meanDifference(file, upright)).toBeLessThan(4);
    }
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("orientation %i: the fast crop equals orient-rotate-crop for all four rotations", async (o) => {
    const file = files.get(o)!;
    const info = await inspectImage(file, LIMITS);
    for (const rotation of TURNS) {
      const shown = transformedSize(info.displayed, { flop: false, rotate: rotation });
      const side = Math.min(shown.width, shown.height) - 40;
      const rect = { left: 30, top: 10, width: side, height: side };
      const fast = await cropImage(file, info, { ...rect, rotation }, LIMITS);
      const meta = await describeImage(fast);
      expect(meta).toMatchObject({ format: "webp", width: CROP_OUTPUT_SIDE, height: CROP_OUTPUT_SIDE, hasExif: false });
      expect(await meanDifference(fast, await referenceCrop(file, rotation, rect))).toBeLessThan(4);
      // and the same as cropping the upright original: the orientation tag made no difference
      expect(await meanDifference(fast, await referenceCrop(upright, rotation, rect))).toBeLessThan(6);
    }
  });

  it("a wrong mapping would be caught: a mirrored crop differs clearly", async () => {
    const file = files.get(1)!;
    const rect = { left: 0, top: 0, width: 200, height: 200 };
    const fast = await cropImage(file, await inspectImage(file, LIMITS), { ...rect, rotation: 0 }, LIMITS);
    const mirrored = await sharp(await referenceCrop(file, 0, rect)).flop().png().toBuffer();
    expect(await meanDifference(fast, mirrored)).toBeGreaterThan(20);
  });
});

const SHARED = path.resolve(__dirname, "../../../shared/fixtures/exif-orientation");
const haveShared = existsSync(path.join(SHARED, "Landscape_1.jpg"));
if (!haveShared) {
  console.warn(`[pipeline.test] DID NOT RUN the real-photo EXIF tests: ${SHARED} does not exist (team fixtures are only on team machines and CI).`);
}

describe.skipIf(!haveShared)("real photos with EXIF orientations 0-8 (../shared/fixtures/exif-orientation)", () => {
  // The rectangle fits the picture both as shown and turned a quarter.
  const rect = { left: 200, top: 150, width: 900, height: 900 };

  it.each([
    ["Landscape", 0, { width: 1800, height: 1200 }],
    ["Landscape", 90, { width: 1800, height: 1200 }],
    ["Portrait", 0, { width: 1200, height: 1800 }],
    ["Portrait", 270, { width: 1200, height: 1800 }],
  ] as const)("all nine %s files give the same avatar (rotation %i)", async (kind, rotation, displayed) => {
    const outputs: Buffer[] = [];
    for (let n = 0; n <= 8; n++) {
      const file = readFileSync(path.join(SHARED, `${kind}_${n}.jpg`));
      const info = await inspectImage(file, LIMITS);
      expect(info.displayed).toEqual(displayed);
      outputs.push(await cropImage(file, info, { ...rect, rotation }, LIMITS));
    }
    for (let n = 1; n <= 8; n++) expect(await meanDifference(outputs[n]!, outputs[0]!)).toBeLessThan(6);
  });
});

describe("inspect and preview", () => {
  it("sniffs the real format from the bytes, not the name or declared type", async () => {
    const png = await photoLike(64, 48);
    expect((await inspectImage(png, LIMITS)).format).toBe("png");
  });

  it.each([
    ["plain text", Buffer.from("hello, I am not a picture")],
    ["HTML", Buffer.from("<!doctype html><script>alert(1)</script>")],
    ["SVG with script", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>')],
    ["PDF", Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")],
  ])("refuses %s as not_an_image", async (_, bytes) => {
    await expect(inspectImage(bytes, LIMITS)).rejects.toMatchObject({ code: "not_an_image", status: 422 });
  });

  it("refuses a truncated JPEG as corrupt when it is decoded", async () => {
    const jpeg = await sharp(await photoLike(400, 300)).jpeg({ quality: 90 }).toBuffer();
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
    await expect(makePreview(truncated, LIMITS)).rejects.toMatchObject({ code: "corrupt_image" });
  });

  it("refuses a truncated JPEG as corrupt in the check without a preview too (its smaller decode reads every byte)", async () => {
    const jpeg = await sharp(await photoLike(1700, 1130)).jpeg({ quality: 90 }).toBuffer();
    for (const kept of [0.6, 0.9, 0.99]) {
      await expect(decodeForAnalysis(jpeg.subarray(0, Math.floor(jpeg.length * kept)), LIMITS)).rejects.toMatchObject({ code: "corrupt_image" });
    }
  });

  it("decodes for the analysis upright, at least twice its side on the short side, never enlarged", async () => {
    const file = await withOrientation(await photoLike(1700, 1130), 6); // displayed 1700×1130
    expect(await decodeForAnalysis(file, LIMITS)).toMatchObject({ width: 385, height: 256, channels: 3 });
    const small = await sharp(await photoLike(200, 150)).jpeg().toBuffer();
    expect(await decodeForAnalysis(small, LIMITS)).toMatchObject({ width: 200, height: 150 });
  });

  it("previewSizeOf says the size makePreview gives, without decoding", async () => {
    for (const [width, height] of [[1700, 1130], [1130, 1700], [2304, 1536], [1600, 1601], [4000, 1], [1599, 900], [3001, 2999], [1601, 1601]] as const) {
      const file = await sharp({ create: { width, height, channels: 3, background: "#888" } }).png().toBuffer();
      expect((await makePreview(file, LIMITS)).size, `${width}×${height}`).toEqual(previewSizeOf({ width, height }));
    }
  });

  it("refuses a picture declaring more pixels than allowed before decoding it", async () => {
    const big = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: "#888" } }).png().toBuffer();
    await expect(inspectImage(big, { maxPixels: 4_000_000, timeoutSeconds: 0 })).rejects.toMatchObject({ code: "image_too_large", message: /3000×3000/ });
  });

  it("makes an upright preview no larger than 1600 pixels, without metadata", async () => {
    const file = await withOrientation(await photoLike(2400, 1600), 6); // stored 1600×2400, displayed 2400×1600
    const preview = await makePreview(file, LIMITS);
    expect(preview.size).toEqual({ width: 1600, height: 1067 });
    expect(await describeImage(preview.data)).toMatchObject({ format: "webp", hasExif: false, hasIcc: false });
    // Its pixels come back too (for the suggested crop): the preview's, upright, before the WebP.
    expect(preview.pixels).toMatchObject({ width: 1600, height: 1067, channels: 3 });
    expect(preview.pixels.data.length).toBe(1600 * 1067 * 3);
    const decoded = await sharp(preview.data).raw().toBuffer();
    let difference = 0;
    for (let i = 0; i < decoded.length; i++) difference += Math.abs(decoded[i]! - preview.pixels.data[i]!);
    expect(difference / decoded.length).toBeLessThan(4); // the WebP (quality 80) is a lossy copy of those pixels
  });

  it("makes every rendition size from the crop, upright, from the same pixels as the single crop", async () => {
    const file = await withOrientation(await photoLike(1200, 900, 5), 6); // stored 900×1200, displayed 1200×900
    const image = await inspectImage(file, LIMITS);
    const rect = { left: 100, top: 50, width: 800, height: 800 };
    const crop = { ...rect, rotation: 90 as const };
    const renditions = await cropToRenditions(file, image, crop, LIMITS, [512, 256, 128, 64] as const);
    const single = await cropImage(file, image, crop, LIMITS);
    // The largest rendition is the crop itself (same encoder, same pixels).
    expect(renditions.get(512)!.equals(single)).toBe(true);
    const expected = await referenceCrop(file, 90, rect);
    for (const size of [512, 256, 128, 64] as const) {
      expect(await describeImage(renditions.get(size)!)).toMatchObject({ format: "webp", width: size, height: size, hasExif: false, hasIcc: false });
      // Upright and the chosen square at every size (a mirrored or unturned one differs by > 20).
      expect(await meanDifference(renditions.get(size)!, expected, Math.min(size, 64))).toBeLessThan(6);
    }
  });
});
