/** The crop step's preview → original mapping, checked on real pixels. */
import sharp from "sharp";

import { getEnv } from "@/lib/env";
import { scaleCropToOriginal } from "@/lib/images/crop-geometry";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { cropToRenditions, inspectImage } from "@/lib/images/pipeline";

import { PIXEL_CHECK_SIDE } from "../pixel-check";

export async function mappingCheck(original: Buffer, preview: Buffer, previewSize: { width: number; height: number }, displayed: { width: number; height: number }) {
  const previewRect = {
    left: Math.round(previewSize.width * 0.41),
    top: Math.round(previewSize.height * 0.17),
    width: Math.round(previewSize.height * 0.55),
    height: Math.round(previewSize.height * 0.55),
  };
  const originalRect = scaleCropToOriginal(previewRect, previewSize, displayed);
  const exact = {
    left: (previewRect.left * displayed.width) / previewSize.width,
    top: (previewRect.top * displayed.height) / previewSize.height,
    right: ((previewRect.left + previewRect.width) * displayed.width) / previewSize.width,
    bottom: ((previewRect.top + previewRect.height) * displayed.height) / previewSize.height,
  };
  const mappingErrorPx = Math.max(
    Math.abs(originalRect.left - exact.left),
    Math.abs(originalRect.top - exact.top),
    Math.abs(originalRect.left + originalRect.width - exact.right),
    Math.abs(originalRect.top + originalRect.height - exact.bottom),
  );
  const limits = { maxPixels: getEnv().IMAGE_MAX_PIXELS, timeoutSeconds: getEnv().IMAGE_DECODE_TIMEOUT_SECONDS };
  const info = await inspectImage(original, limits);
  const renditions = await cropToRenditions(original, info, { ...originalRect, rotation: 0 }, limits, [CROP_OUTPUT_SIDE]);
  const fromOriginal = renditions.get(CROP_OUTPUT_SIDE)!;
  const fromPreview = await sharp(preview).extract(previewRect).png().toBuffer();
  const side = PIXEL_CHECK_SIDE;
  const read = (input: Buffer) => sharp(input).resize(side, side, { fit: "fill" }).removeAlpha().raw().toBuffer();
  const [a, b] = await Promise.all([read(fromOriginal), read(fromPreview)]);
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i]! - b[i]!);
  return { previewRect, originalRect, mappingErrorPx, contentDifference: total / a.length };
}
