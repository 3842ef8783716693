import "server-only";

import sharp, { type Metadata, type Sharp, type SharpOptions } from "sharp";

import { AppError } from "@/lib/errors";

import { displayTransform, toStoredRect, transformedSize, type CropRequest, type Size, type Transform } from "./crop-geometry";
import { ACCEPTED_FORMATS, CROP_OUTPUT_SIDE, PREVIEW_MAX_SIDE } from "./formats";
import { ANALYSIS_SIDE } from "./suggested-crop";

export type InspectedImage = {
  format: string;
  /** Size as stored in the file. */
  stored: Size;
  /** EXIF orientation (1 when absent). */
  orientation: number;
  /** Size as displayed (orientation applied): the space crop coordinates use. */
  displayed: Size;
};

/**
 * What any picture from a user may cost to decode: its pixels (IMAGE_MAX_PIXELS) and libvips's time
 * on it (IMAGE_DECODE_TIMEOUT_SECONDS; 0 for none), which the pixel limit alone does not bound (a
 * 64 MP interlaced 16-bit PNG holds an image slot for as long as libvips takes).
 */
export type DecodeLimits = { maxPixels: number; timeoutSeconds: number };

function inputOptions(limits: DecodeLimits): SharpOptions {
  // failOn "error" refuses truncated and corrupt files; only the first frame of animations is read.
  return { limitInputPixels: limits.maxPixels, failOn: "error", animated: false, sequentialRead: true };
}

/** Every decode of a user's bytes goes through here, so none runs without the time limit. */
function decode(bytes: Buffer, limits: DecodeLimits): Sharp {
  return sharp(bytes, inputOptions(limits)).timeout({ seconds: limits.timeoutSeconds });
}

/** libwebp's effort (0-6; sharp's default 4): 2 encodes much faster for files a little larger (docs/decisions/webp-effort.md). */
const WEBP_EFFORT = 2;

/** Encoder settings of every avatar rendition. */
const AVATAR_WEBP = { quality: 85, effort: WEBP_EFFORT } as const;

function toAppError(error: unknown, limits?: DecodeLimits): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // libvips's own words when the clock set by timeout() ran out: "timeout: 42% complete".
  if (limits && /^timeout: \d+% complete/.test(message)) {
    return new AppError(
      "image_too_slow",
      `This picture takes more than ${limits.timeoutSeconds} second${limits.timeoutSeconds === 1 ? "" : "s"} to read. Please save it as a JPEG, or smaller, and upload that.`,
      { cause: error },
    );
  }
  if (/unsupported image format|bad seek|not a known file format|Input buffer is empty|Input file is missing/i.test(message)) {
    return new AppError("not_an_image", undefined, { cause: error });
  }
  if (/pixel limit/i.test(message)) return new AppError("image_too_large", undefined, { cause: error });
  return new AppError("corrupt_image", undefined, { cause: error });
}

/** Reads only the header: what the file really is, whatever its name or declared type said. */
export async function inspectImage(bytes: Buffer, limits: DecodeLimits): Promise<InspectedImage> {
  const { maxPixels } = limits;
  let metadata: Metadata;
  try {
    // The header only: no pixel is decoded, so the time limit has nothing to bound here.
    metadata = await sharp(bytes, inputOptions(limits)).metadata();
  } catch (error) {
    throw toAppError(error);
  }
  const format = metadata.format as string | undefined;
  if (!format || !(ACCEPTED_FORMATS as readonly string[]).includes(format) || !metadata.width || !metadata.height) {
    throw new AppError("not_an_image");
  }
  const stored = { width: metadata.width, height: metadata.height };
  if (stored.width * stored.height > maxPixels) {
    throw new AppError(
      "image_too_large",
      `The picture is ${stored.width}×${stored.height} pixels; the limit is ${Math.round(maxPixels / 1e6)} megapixels.`,
    );
  }
  const orientation = metadata.orientation ?? 1;
  return { format, stored, orientation, displayed: transformedSize(stored, displayTransform(orientation, 0)) };
}

function applyTransform(image: Sharp, transform: Transform): Sharp {
  // sharp mirrors before it rotates, whatever the call order: the same order Transform describes.
  return image.flop(transform.flop).rotate(transform.rotate);
}

/** Decoded pixels (8 bits per channel), as sharp's raw input and output describe them. */
export type RawPixels = { data: Buffer; width: number; height: number; channels: 1 | 2 | 3 | 4 };

/** A sharp pipeline reading `pixels`. */
export function fromPixels(pixels: RawPixels): Sharp {
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } });
}

/**
 * The picture the crop step shows: upright, at most PREVIEW_MAX_SIDE, as WebP without metadata.
 * Decoding the whole file here is also what proves it is a complete, valid picture. Its pixels come
 * back too, so the suggested crop does not decode the WebP again.
 */
export async function makePreview(bytes: Buffer, limits: DecodeLimits): Promise<{ data: Buffer; size: Size; pixels: RawPixels }> {
  const pixels = await uprightPixels(bytes, limits, PREVIEW_MAX_SIDE, "inside");
  try {
    const webp = await fromPixels(pixels).webp({ quality: 80, effort: WEBP_EFFORT }).toBuffer();
    return { data: webp, size: { width: pixels.width, height: pixels.height }, pixels };
  } catch (error) {
    throw toAppError(error, limits);
  }
}

/**
 * The check without a preview: every pixel of the file is read (what proves it complete and valid),
 * upright and shrunk to at least twice ANALYSIS_SIDE on its short side, which is all the suggested
 * crop's analysis looks at. A JPEG is then decoded at 1/2-1/8 of its size straight from its DCT
 * coefficients: a fraction of makePreview's CPU, and no WebP to encode (docs/decisions/lazy-preview.md).
 */
export async function decodeForAnalysis(bytes: Buffer, limits: DecodeLimits): Promise<RawPixels> {
  return uprightPixels(bytes, limits, 2 * ANALYSIS_SIDE, "outside");
}

/** Every pixel of the file decoded, turned upright and shrunk to `side` (never enlarged), as raw pixels. */
async function uprightPixels(bytes: Buffer, limits: DecodeLimits, side: number, fit: "inside" | "outside"): Promise<RawPixels> {
  try {
    const { data, info } = await decode(bytes, limits)
      .autoOrient()
      .resize(side, side, { fit, withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw toAppError(error, limits);
  }
}

/**
 * Whether to shrink while decoding. libjpeg decodes a JPEG at 1/2, 1/4 or 1/8 of its size straight
 * from the DCT coefficients and libwebp scales while decoding; sharp uses that when the whole
 * picture is resized, not when a region is extracted first. sharp only picks a JPEG shrink when the
 * factor is at least 3 (1/2 below 4, 1/4 below 8 ..., never the exact factor: libjpeg rounding);
 * WebP's scaled decoding only pays from a factor of 2. Below that, and for formats without it (PNG,
 * GIF, AVIF), extracting first decodes less. Measured with `npm run bench` (bench/results/latest.md).
 */
function shrinkOnLoad(format: string, shrink: number): boolean {
  return (format === "jpeg" && shrink >= 3) || (format === "webp" && shrink >= 2);
}

/** The cropped square as raw pixels, not yet turned upright (`transform` says how). */
export type CroppedSquare = { data: Buffer; raw: { width: number; height: number; channels: 1 | 2 | 3 | 4 }; transform: Transform };

/**
 * Crops the original: the rectangle is mapped onto the stored pixels, extracted and shrunk there to
 * a CROP_OUTPUT_SIDE square of raw pixels; turning it upright is left to the encoders (4 small
 * squares turned instead of a big region).
 * When the decoder can shrink (see shrinkOnLoad), the whole picture is instead resized so that the
 * region becomes CROP_OUTPUT_SIDE square, and the region's square is extracted from that: libvips
 * computes only the pixels of that square, from a picture decoded at a fraction of its size. The
 * square's edges land within one output pixel of the region's (rounding): the same picture.
 */
async function cropSquare(bytes: Buffer, image: InspectedImage, crop: CropRequest, limits: DecodeLimits): Promise<CroppedSquare> {
  const transform = displayTransform(image.orientation, crop.rotation);
  const stored = toStoredRect(crop, image.stored, transform);
  const region = {
    left: Math.round(stored.left),
    top: Math.round(stored.top),
    width: Math.max(1, Math.round(stored.width)),
    height: Math.max(1, Math.round(stored.height)),
  };
  if (region.left < 0 || region.top < 0 || region.left + region.width > image.stored.width || region.top + region.height > image.stored.height) {
    throw new AppError("invalid_crop", "The crop goes outside the picture.");
  }
  const side = CROP_OUTPUT_SIDE;
  const [sx, sy] = [side / region.width, side / region.height];
  try {
    let pipeline = decode(bytes, limits);
    if (shrinkOnLoad(image.format, Math.min(region.width, region.height) / side)) {
      const scaled = { width: Math.max(side, Math.round(image.stored.width * sx)), height: Math.max(side, Math.round(image.stored.height * sy)) };
      pipeline = pipeline.resize(scaled.width, scaled.height, { fit: "fill" }).extract({
        left: Math.min(Math.round((region.left * scaled.width) / image.stored.width), scaled.width - side),
        top: Math.min(Math.round((region.top * scaled.height) / image.stored.height), scaled.height - side),
        width: side,
        height: side,
      });
    } else {
      pipeline = pipeline.extract(region).resize(side, side, { fit: "fill" });
    }
    const { data, info } = await pipeline.toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
    return { data, raw: { width: info.width, height: info.height, channels: info.channels }, transform };
  } catch (error) {
    throw toAppError(error, limits);
  }
}

/**
 * Every size an avatar is served at, each encoded straight from the cropped square's pixels (no
 * encode-decode-encode through a stored crop), turned upright, as WebP without metadata. The sizes
 * are encoded at once on the libuv pool; `onEncoded` hears of each as soon as it is done (the small
 * ones finish while the largest is still encoding, so their uploads can start).
 */
export async function encodeRenditions<S extends number>(
  square: CroppedSquare,
  sizes: readonly S[],
  onEncoded?: (size: S, data: Buffer) => void,
): Promise<Map<S, Buffer>> {
  try {
    const entries = await Promise.all(
      sizes.map(async (size) => {
        let image = applyTransform(sharp(square.data, { raw: square.raw }), square.transform);
        if (size !== square.raw.width || size !== square.raw.height) image = image.resize(size, size, { fit: "fill" });
        const data = await image.webp(AVATAR_WEBP).toBuffer();
        onEncoded?.(size, data);
        return [size, data] as const;
      }),
    );
    return new Map(entries);
  } catch (error) {
    throw toAppError(error);
  }
}

/** The crop as its renditions: what the crop step stores and the save step copies. */
export async function cropToRenditions<S extends number>(
  bytes: Buffer,
  image: InspectedImage,
  crop: CropRequest,
  limits: DecodeLimits,
  sizes: readonly S[],
  onEncoded?: (size: S, data: Buffer) => void,
): Promise<Map<S, Buffer>> {
  return encodeRenditions(await cropSquare(bytes, image, crop, limits), sizes, onEncoded);
}
