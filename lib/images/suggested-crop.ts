/**
 * The suggested crop's maths (pure). The finish step finds the subject on the preview (upright,
 * ≤ 1600 px), shrunk further so that its short side is ANALYSIS_SIDE; sharp's attention strategy
 * then says where a square of that side sits. That square is the largest square of the picture,
 * moved onto the subject: at zoom 1 in the cropper it is a pure move, so "back to the centre" is
 * the same square moved back. It is kept in the original's displayed pixels, the space every
 * crop is in, and turned into the preview's pixels for the cropper.
 */

import type { Rect, Size } from "./crop-geometry";

/**
 * The short side the subject is looked for at. On the generated off-centre subjects (a face-like
 * blob, a high-detail patch; test/integration/suggested-crop.test.ts) 64, 128, 256 and the full
 * preview all found all 32; 128 is a margin over 64 for small subjects at about a tenth of the
 * full preview's cost (the shrink happens while the WebP is decoded).
 */
export const ANALYSIS_SIDE = 128;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * The largest square of a picture of `size`, placed where the analysis put its square: sharp
 * reports the crop's offset in the shrunk picture, negative (`cropOffsetLeft/Top`).
 */
export function squareFromAttention(size: Size, offset: { left: number; top: number }): Rect {
  const side = Math.min(size.width, size.height);
  const scale = side / ANALYSIS_SIDE;
  return {
    left: clamp(Math.round(Math.abs(offset.left) * scale), 0, size.width - side),
    top: clamp(Math.round(Math.abs(offset.top) * scale), 0, size.height - side),
    width: side,
    height: side,
  };
}

/**
 * A square on one picture as the same square on the same picture at another size, in whole
 * pixels, square after rounding, and inside the picture. The side scales with the short side, so
 * the largest square stays the largest when rounding made the two aspect ratios differ (a 256 px
 * analysis copy of 1600×1000 is 410×256).
 */
export function scaleSquare(rect: Rect, from: Size, to: Size): Rect {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const short = Math.min(to.width, to.height) / Math.min(from.width, from.height);
  const side = clamp(Math.round(rect.width * short), 1, Math.min(to.width, to.height));
  return {
    left: clamp(Math.round(rect.left * sx), 0, to.width - side),
    top: clamp(Math.round(rect.top * sy), 0, to.height - side),
    width: side,
    height: side,
  };
}

/** The centre of a square, as a fraction of the picture's width and height: comparable across sizes. */
export function relativeCentre(rect: Rect, size: Size): { x: number; y: number } {
  return { x: (rect.left + rect.width / 2) / size.width, y: (rect.top + rect.height / 2) / size.height };
}

/**
 * The suggestion the cropper should be open on, given the one it is open on now: a suggestion that
 * arrives (or changes) later replaces it only while the user has not touched the crop, so nothing
 * moves under their hands. The same square as before is the same object (no re-render loop).
 */
export function cropStart(current: Rect | undefined, arrived: Rect | undefined, touched: boolean): Rect | undefined {
  if (touched || !arrived) return current;
  const same = current && arrived.left === current.left && arrived.top === current.top && arrived.width === current.width && arrived.height === current.height;
  return same ? current : arrived;
}
