import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { displayedSize, frameHasOrientation, readJpegHeader, sameShape, scaledDecodeSize } from "./jpeg-header";

const jpeg = (width: number, height: number, orientation?: number) => {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 100, b: 50 } } }).jpeg();
  return (orientation ? image.withMetadata({ orientation }) : image).toBuffer();
};

describe("readJpegHeader", () => {
  it("reads the stored size, with orientation 1 when there is no EXIF", async () => {
    expect(readJpegHeader(await jpeg(300, 200))).toEqual({ stored: { width: 300, height: 200 }, orientation: 1 });
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("reads EXIF orientation %i, and swaps the displayed sides for 5-8", async (orientation) => {
    const header = readJpegHeader(await jpeg(300, 200, orientation));
    expect(header).toEqual({ stored: { width: 300, height: 200 }, orientation });
    expect(displayedSize(header!)).toEqual(orientation >= 5 ? { width: 200, height: 300 } : { width: 300, height: 200 });
  });

  it("reads a progressive JPEG's frame header", async () => {
    const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#808080" } }).jpeg({ progressive: true }).toBuffer();
    expect(readJpegHeader(bytes)?.stored).toEqual({ width: 64, height: 48 });
  });

  it("says null for what is not a JPEG, or ends before its frame header", async () => {
    const bytes = await jpeg(300, 200, 6);
    const frame = bytes.findIndex((byte, i) => byte === 0xff && bytes[i + 1] === 0xc0);
    expect(readJpegHeader(bytes.subarray(0, frame + 6))).toBeNull();
    expect(readJpegHeader(bytes.subarray(0, 2))).toBeNull();
    expect(readJpegHeader(await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } }).png().toBuffer())).toBeNull();
    expect(readJpegHeader(new Uint8Array([0xff, 0xd8, 0x00, 0x00, 0x00]))).toBeNull();
  });

  it("ignores an EXIF segment that is cut short or not TIFF", async () => {
    const bytes = Buffer.from(await jpeg(30, 20, 6));
    const tiff = bytes.indexOf("Exif\0\0") + 6;
    const broken = Buffer.from(bytes);
    broken.write("XX", tiff); // neither II nor MM
    expect(readJpegHeader(broken)).toEqual({ stored: { width: 30, height: 20 }, orientation: 1 });
  });
});

const FIXTURES = path.resolve(__dirname, "../../../shared/fixtures/exif-orientation");
describe.skipIf(!existsSync(path.join(FIXTURES, "Landscape_0.jpg")))("the team's photos (../shared/fixtures/exif-orientation)", () => {
  it.each(["Landscape", "Portrait"])("%s_0-8 are shown the way sharp shows them", async (name) => {
    for (let i = 0; i <= 8; i++) {
      const bytes = readFileSync(path.join(FIXTURES, `${name}_${i}.jpg`));
      const header = readJpegHeader(bytes);
      const metadata = await sharp(bytes).metadata();
      expect(header?.orientation).toBe(metadata.orientation ?? 1);
      expect(displayedSize(header!)).toEqual({ width: metadata.autoOrient.width, height: metadata.autoOrient.height });
    }
  });
});

describe("scaledDecodeSize", () => {
  it("asks for the least eighth that keeps the short side near the shown one", () => {
    // 24 MP: 2/8 = 1500 × 1000 (≥ 0.9 × 1024).
    expect(scaledDecodeSize({ width: 6000, height: 4000 }, 1024)).toEqual({ width: 1501, height: 1001 });
    // 12 MP: 2/8 would be 750 px, so 3/8 = 1500 × 1125.
    expect(scaledDecodeSize({ width: 3000, height: 4000 }, 1024)).toEqual({ width: 1126, height: 1501 });
    // 48 MP: 2/8 = 2000 × 1500 (1/8 would be 750).
    expect(scaledDecodeSize({ width: 8000, height: 6000 }, 1024)).toEqual({ width: 2001, height: 1501 });
  });

  it("asks for nothing when only the whole picture is large enough", () => {
    expect(scaledDecodeSize({ width: 1100, height: 1000 }, 1024)).toBeNull();
  });

  it("asks for an area the decoder (which picks by area) turns into that eighth", () => {
    for (const displayed of [{ width: 6000, height: 4000 }, { width: 4033, height: 3025 }, { width: 1537, height: 2049 }, { width: 9000, height: 1600 }]) {
      const desired = scaledDecodeSize(displayed, 1024)!;
      const eighths = Math.floor(Math.sqrt((desired.width * desired.height * 64) / (displayed.width * displayed.height)));
      expect(Math.min(displayed.width, displayed.height) * eighths / 8).toBeGreaterThanOrEqual(1024 * 0.9);
      expect(eighths).toBeLessThan(8);
    }
  });
});

describe("sameShape", () => {
  it("takes a scaled size, rounded either way", () => {
    expect(sameShape({ width: 1500, height: 1000 }, { width: 6000, height: 4000 })).toBe(true);
    expect(sameShape({ width: 1009, height: 757 }, { width: 4033, height: 3025 })).toBe(true);
    expect(sameShape({ width: 1008, height: 756 }, { width: 4033, height: 3025 })).toBe(true);
  });

  it("refuses a quarter turn or another shape", () => {
    expect(sameShape({ width: 1000, height: 1500 }, { width: 6000, height: 4000 })).toBe(false);
    expect(sameShape({ width: 1500, height: 1100 }, { width: 6000, height: 4000 })).toBe(false);
  });
});

describe("frameHasOrientation", () => {
  // What Chromium 156's ImageDecoder reports for the team's photos with EXIF orientations 1-8.
  const chromium = [{ rotation: 0, flip: false }, { rotation: 0, flip: true }, { rotation: 180, flip: false }, { rotation: 180, flip: true }, { rotation: 90, flip: true }, { rotation: 90, flip: false }, { rotation: 270, flip: true }, { rotation: 270, flip: false }];

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("takes the turn and mirror of orientation %i, and no other's", (orientation) => {
    chromium.forEach((frame, i) => expect(frameHasOrientation(orientation, frame)).toBe(orientation === 1 || i + 1 === orientation));
  });

  it("does not trust a frame that reports no turn, unless there is none to apply", () => {
    expect(frameHasOrientation(1, {})).toBe(true);
    expect(frameHasOrientation(3, {})).toBe(false);
  });
});
