import "server-only";

import sharp from "sharp";

import type { Rect, Size } from "./crop-geometry";
import { ANALYSIS_SIDE, squareFromAttention } from "./suggested-crop";

/**
 * Where the subject of a preview is: the largest square, moved onto what sharp's attention
 * strategy (luminance frequency, saturation, skin tones) picks. Run on the preview the finish step
 * has just encoded (upright, ≤ 1600 px), shrunk while decoding so that its short side is
 * ANALYSIS_SIDE: about 20 ms, whatever the original's size. smartcrop-sharp was measured too and
 * put fewer of the generated subjects inside its square (24 of 32 against 32 of 32; README).
 * In the preview's pixels.
 */
export async function attentionSquare(preview: Buffer, size: Size): Promise<Rect> {
  const { info } = await sharp(preview)
    .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: "cover", position: sharp.strategy.attention })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return squareFromAttention(size, { left: info.cropOffsetLeft ?? 0, top: info.cropOffsetTop ?? 0 });
}
