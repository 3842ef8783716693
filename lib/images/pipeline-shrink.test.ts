import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { cropImage } from "@/test/harness/crop-image";
import { describeImage, meanDifference, photoLike, referenceCrop, withOrientation } from "@/test/harness/images";

import { transformedSize, type QuarterTurn } from "./crop-geometry";
import { CROP_OUTPUT_SIDE } from "./formats";
import { inspectImage } from "./pipeline";

/**
 * The crop path that shrinks while decoding (JPEG crops at least 3× the output side, WebP crops at
 * least 2×): the same checks as pipeline.test.ts, on pictures large enough to take that path.
 */

const LIMITS = { maxPixels: 64_000_000, timeoutSeconds: 0 };
const TURNS: QuarterTurn[] = [0, 90, 180, 270];
describe("crop with shrink-on-load (large crops of JPEG and WebP)", () => {
  let upright: Buffer;
  const jpegs = new Map<number, Buffer>();

  beforeAll(async () => {
    upright = await photoLike(2400, 1800, 11);
    const orientations = [1, 2, 3, 4, 5, 6, 7, 8];
    const files = await Promise.all(orientations.map((o) => withOrientation(upright, o)));
    orientations.forEach((o, i) => jpegs.set(o, files[i]!));
  });

  // Each orientation with one of the four rotations: every orientation and every rotation is covered.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("JPEG, orientation %i: equals orient-rotate-crop", async (o) => {
    const file = jpegs.get(o)!;
    const info = await inspectImage(file, LIMITS);
    expect(info.displayed).toEqual({ width: 2400, height: 1800 });
    const rotation = TURNS[o % 4]!;
    const shown = transformedSize(info.displayed, { flop: false, rotate: rotation });
    const side = Math.min(shown.width, shown.height) - 150; // 1650: shrink 3.2, decoded at 1/2
    const rect = { left: 97, top: 41, width: side, height: side };
    const fast = await cropImage(file, info, { ...rect, rotation }, LIMITS);
    expect(await describeImage(fast)).toMatchObject({ format: "webp", width: CROP_OUTPUT_SIDE, height: CROP_OUTPUT_SIDE, hasExif: false });
    expect(await meanDifference(fast, await referenceCrop(file, rotation, rect))).toBeLessThan(4);
    expect(await meanDifference(fast, await referenceCrop(upright, rotation, rect))).toBeLessThan(6);
  });

  it("JPEG: crops touching the right and bottom edges equal orient-rotate-crop (either path)", async () => {
    const file = jpegs.get(1)!;
    const info = await inspectImage(file, LIMITS);
    const rect = { left: 2400 - 1_000 - 3, top: 1800 - 1_000 - 1, width: 1_000, height: 1_000 }; // shrink 1.95: extract first
    const big = { left: 2400 - 1_790, top: 1800 - 1_790, width: 1_790, height: 1_790 }; // shrink 3.5
    for (const r of [rect, big]) {
      const fast = await cropImage(file, info, { ...r, rotation: 0 }, LIMITS);
      expect(await meanDifference(fast, await referenceCrop(file, 0, r))).toBeLessThan(4);
    }
  });

  it("JPEG decoded at 1/4 (shrink 5.1), orientation 6, rotation 270: equals orient-rotate-crop", async () => {
    const tall = await photoLike(2700, 3000, 12);
    const file = await withOrientation(tall, 6);
    const info = await inspectImage(file, LIMITS);
    const rect = { left: 211, top: 37, width: 2610, height: 2610 }; // displayed after rotation: 3000×2700
    const fast = await cropImage(file, info, { ...rect, rotation: 270 }, LIMITS);
    expect(await meanDifference(fast, await referenceCrop(file, 270, rect))).toBeLessThan(4);
    expect(await meanDifference(fast, await referenceCrop(tall, 270, rect))).toBeLessThan(6);
  });

  it("a wrong mapping would be caught on this path too: a mirrored crop differs clearly", async () => {
    const file = jpegs.get(6)!;
    const rect = { left: 0, top: 0, width: 1700, height: 1700 };
    const fast = await cropImage(file, await inspectImage(file, LIMITS), { ...rect, rotation: 0 }, LIMITS);
    const mirrored = await sharp(await referenceCrop(file, 0, rect)).flop().png().toBuffer();
    expect(await meanDifference(fast, mirrored)).toBeGreaterThan(20);
  });

  it.each([0, 90] as const)("WebP (scaled while decoded), rotation %i: equals orient-rotate-crop", async (rotation) => {
    const file = await sharp(upright).webp({ quality: 95 }).toBuffer();
    const info = await inspectImage(file, LIMITS);
    const rect = { left: 120, top: 60, width: 1500, height: 1500 };
    const fast = await cropImage(file, info, { ...rect, rotation }, LIMITS);
    expect(await meanDifference(fast, await referenceCrop(file, rotation, rect))).toBeLessThan(4);
  });
});
