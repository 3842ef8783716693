/** The floor and the naive way: sharp work alone, on bytes already in memory (no S3, no limiter). */
import sharp from "sharp";

import { PLACEHOLDER_SOURCE_SIZE } from "@/lib/avatars/placeholder-source";
import { getEnv } from "@/lib/env";
import { attentionSquare } from "@/lib/images/attention-crop";
import { decodeLimits } from "@/lib/limits/image-jobs";
import type { CropRequest, Rect } from "@/lib/images/crop-geometry";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { cropToRenditions, encodeRenditions, inspectImage, makePreview, type CroppedSquare } from "@/lib/images/pipeline";
import { thumbHashOf } from "@/lib/images/placeholder-hash";
import { RENDITION_SIZES } from "@/lib/storage/keys";

/**
 * The floor: the crop step's image work (inspectImage, cropToRenditions, and the placeholder's
 * ThumbHash of the smallest rendition) with the bytes already in memory.
 */
export async function floorWay(bytes: Buffer, crop: CropRequest): Promise<Buffer> {
  const limits = decodeLimits();
  const info = await inspectImage(bytes, limits);
  const renditions = await cropToRenditions(bytes, info, crop, limits, RENDITION_SIZES);
  await thumbHashOf(renditions.get(PLACEHOLDER_SOURCE_SIZE)!);
  return renditions.get(CROP_OUTPUT_SIDE)!;
}

/**
 * The naive pipeline: decode at full resolution (no shrink-on-load), crop, shrink, to the raw
 * square the app's own encoders (encodeRenditions) take, so only the decoding strategy differs.
 * Upright inputs, no turn.
 */
export async function naiveSquare(bytes: Buffer, rect: Rect): Promise<CroppedSquare> {
  const { data, info } = await sharp(bytes, { limitInputPixels: getEnv().IMAGE_MAX_PIXELS, failOn: "error", sequentialRead: true })
    .autoOrient()
    .extract(rect)
    .resize(CROP_OUTPUT_SIDE, CROP_OUTPUT_SIDE, { fit: "fill" })
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, raw: { width: info.width, height: info.height, channels: info.channels }, transform: { flop: false, rotate: 0 } };
}

export async function naiveWay(bytes: Buffer, crop: CropRequest): Promise<Buffer> {
  const renditions = await encodeRenditions(await naiveSquare(bytes, crop), RENDITION_SIZES);
  return renditions.get(CROP_OUTPUT_SIDE)!;
}

/**
 * The finish step's floor: finishUpload's image work (the check, inspectImage; the preview,
 * makePreview; the suggested crop's analysis of it, attentionSquare) on bytes already in memory:
 * no S3, no limiter.
 */
export async function finishFloorWay(bytes: Buffer): Promise<Buffer> {
  const limits = decodeLimits();
  await inspectImage(bytes, limits);
  const preview = await makePreview(bytes, limits);
  await attentionSquare(preview.pixels);
  return preview.data;
}
