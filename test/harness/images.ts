import sharp from "sharp";

import { exifTransform } from "@/lib/images/crop-geometry";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";

/**
 * Test pictures made on the fly (no binaries in the repo): photo-like noise over an asymmetric
 * layout, so a wrong orientation, mirror or offset shows up as a large pixel difference. No
 * server-only module here: Playwright (which has no "server-only" stub) imports this file too.
 */
export async function photoLike(width: number, height: number, seed = 1): Promise<Buffer> {
  const channels = 3;
  const data = Buffer.alloc(width * height * channels);
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0xffffffff;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const noise = random() * 40;
      // A red top-left quadrant, a blue bottom band, a horizontal green ramp: nothing is symmetric.
      const red = x < width / 2 && y < height / 2 ? 200 : 40;
      const blue = y > (height * 3) / 4 ? 210 : 30;
      const green = (x / width) * 180;
      data[i] = Math.min(255, red + noise);
      data[i + 1] = Math.min(255, green + noise);
      data[i + 2] = Math.min(255, blue + noise);
    }
  }
  return sharp(data, { raw: { width, height, channels } }).png({ compressionLevel: 1 }).toBuffer();
}

/**
 * Stores `upright` the way a camera would with EXIF `orientation`: the stored pixels are the
 * inverse transform of what should be displayed, and the tag says how to turn them back.
 */
export async function withOrientation(upright: Buffer, orientation: number, format: "jpeg" | "png" = "jpeg"): Promise<Buffer> {
  const { flop, rotate } = exifTransform(orientation);
  // Inverse of "flop, then rotate": rotate back first, then flop (two passes: sharp always flops first).
  const unrotated = await sharp(upright).rotate((360 - rotate) % 360).png().toBuffer();
  const stored = sharp(unrotated).flop(flop).withMetadata({ orientation });
  return format === "jpeg" ? stored.jpeg({ quality: 95 }).toBuffer() : stored.png().toBuffer();
}

/** Mean absolute difference per channel (0-255) after both are scaled to the same small size. */
export async function meanDifference(a: Buffer, b: Buffer, side = 64): Promise<number> {
  const read = (input: Buffer) =>
    sharp(input).autoOrient().resize(side, side, { fit: "fill" }).removeAlpha().toColourspace("srgb").raw().toBuffer();
  const [x, y] = await Promise.all([read(a), read(b)]);
  let total = 0;
  for (let i = 0; i < x.length; i++) total += Math.abs(x[i]! - y[i]!);
  return total / x.length;
}

/**
 * The obvious, slow crop the app's fast path must equal: orient and rotate the whole picture,
 * then crop and shrink to the output square (on raw pixels, so nothing is re-encoded in between).
 */
export async function referenceCrop(input: Buffer, rotation: 0 | 90 | 180 | 270, rect: { left: number; top: number; width: number; height: number }) {
  const { data, info } = await sharp(input).autoOrient().raw().toBuffer({ resolveWithObject: true });
  const turned = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .rotate(rotation)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(turned.data, { raw: { width: turned.info.width, height: turned.info.height, channels: turned.info.channels } })
    .extract(rect)
    .resize(CROP_OUTPUT_SIDE, CROP_OUTPUT_SIDE, { fit: "fill" })
    .png()
    .toBuffer();
}

/** Dimensions and format of an encoded picture. */
export async function describeImage(bytes: Buffer): Promise<{ format?: string; width?: number; height?: number; hasExif: boolean; hasIcc: boolean }> {
  const m = await sharp(bytes).metadata();
  return { format: m.format, width: m.width, height: m.height, hasExif: Boolean(m.exif), hasIcc: Boolean(m.icc) };
}

/** Where a generated picture's subject is, in its pixels. */
export type Subject = { left: number; top: number; width: number; height: number };

/** xorshift32: the same pictures on every run and machine. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0xffffffff;
  };
}

/**
 * A face-like subject: a bright, skin-toned oval with darker eyes and mouth, on a dim, slightly
 * noisy, bluish background (nothing else bright, saturated or skin-coloured). The oval fills `subject`.
 */
export async function faceLike(width: number, height: number, subject: Subject, seed = 1): Promise<Buffer> {
  const channels = 3;
  const data = Buffer.alloc(width * height * channels);
  const random = seeded(seed);
  const [cx, cy, rx, ry] = [subject.left + subject.width / 2, subject.top + subject.height / 2, subject.width / 2, subject.height / 2];
  const inEllipse = (x: number, y: number, ex: number, ey: number, erx: number, ery: number) => ((x - ex) / erx) ** 2 + ((y - ey) / ery) ** 2 <= 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const noise = random() * 12;
      let rgb = [70 + noise, 80 + noise, 95 + noise];
      if (inEllipse(x, y, cx, cy, rx, ry)) {
        const feature =
          inEllipse(x, y, cx - rx * 0.4, cy - ry * 0.2, rx * 0.15, ry * 0.08) ||
          inEllipse(x, y, cx + rx * 0.4, cy - ry * 0.2, rx * 0.15, ry * 0.08) ||
          inEllipse(x, y, cx, cy + ry * 0.45, rx * 0.35, ry * 0.07);
        rgb = feature ? [90 + noise, 50 + noise, 45 + noise] : [225 + noise / 2, 172 + noise / 2, 140 + noise / 2];
      }
      data[i] = Math.min(255, rgb[0]!);
      data[i + 1] = Math.min(255, rgb[1]!);
      data[i + 2] = Math.min(255, rgb[2]!);
    }
  }
  return sharp(data, { raw: { width, height, channels } }).png({ compressionLevel: 1 }).toBuffer();
}

/** A high-detail subject: a patch of coloured noise and fine stripes filling `subject`, on a flat grey background. */
export async function detailPatch(width: number, height: number, subject: Subject, seed = 1): Promise<Buffer> {
  const channels = 3;
  const data = Buffer.alloc(width * height * channels, 128);
  const random = seeded(seed);
  for (let y = subject.top; y < subject.top + subject.height; y++) {
    for (let x = subject.left; x < subject.left + subject.width; x++) {
      const i = (y * width + x) * channels;
      const stripe = (x + y) % 6 < 3 ? 90 : -90;
      data[i] = Math.max(0, Math.min(255, 128 + stripe + (random() - 0.5) * 120));
      data[i + 1] = Math.max(0, Math.min(255, 128 - stripe + (random() - 0.5) * 120));
      data[i + 2] = Math.max(0, Math.min(255, 128 + (random() - 0.5) * 200));
    }
  }
  return sharp(data, { raw: { width, height, channels } }).png({ compressionLevel: 1 }).toBuffer();
}

/** Whether `inner` lies inside `outer` (all in the same pixels). */
export const contains = (outer: Subject, inner: Subject): boolean =>
  inner.left >= outer.left && inner.top >= outer.top && inner.left + inner.width <= outer.left + outer.width && inner.top + inner.height <= outer.top + outer.height;
