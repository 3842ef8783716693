import "server-only";

import sharp from "sharp";

import type { Rect } from "./crop-geometry";
import { fromPixels, type RawPixels } from "./pipeline";
import { ANALYSIS_SIDE, squareFromAttention } from "./suggested-crop";

/**
 * Where the subject of a preview is: the largest square, moved onto what sharp's attention
 * strategy (luminance frequency, saturation, skin tones) picks. Run on the pixels of the preview
 * the finish step has just made (upright, ≤ 1600 px; not decoded again from its WebP), shrunk so
 * that its short side is ANALYSIS_SIDE: a few ms, whatever the original's size. smartcrop-sharp was measured too and
 * put fewer of the generated subjects inside its square (24 of 32 against 32 of 32; docs/product.md).
 * In the preview's pixels.
 */
export async function attentionSquare(preview: RawPixels): Promise<Rect> {
  const { info } = await fromPixels(preview)
    .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: "cover", position: sharp.strategy.attention })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return squareFromAttention({ width: preview.width, height: preview.height }, { left: info.cropOffsetLeft ?? 0, top: info.cropOffsetTop ?? 0 });
}
