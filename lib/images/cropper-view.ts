/**
 * The square the crop step shows, computed from what the user sees (pure): the cropper's position
 * and zoom, the quarter turn, the picture's natural size and the cropper's frame. The crop step
 * reads it at the click and for the live preview, instead of keeping the last rectangle the cropper
 * reported: that callback can come from an earlier mount, or from a moment the picture had no
 * layout size yet (then it is NaN). The arithmetic is react-easy-crop's (objectFit "contain",
 * aspect 1, restrictPosition), checked against the library in cropper-view.test.ts.
 */

import type { QuarterTurn, Rect, Size } from "./crop-geometry";

export type CropperView = { crop: { x: number; y: number }; zoom: number; rotation: QuarterTurn };

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const turned = (size: Size, rotation: QuarterTurn): Size => (rotation === 90 || rotation === 270 ? { width: size.height, height: size.width } : size);
const positive = (size: Size) => Number.isFinite(size.width) && Number.isFinite(size.height) && size.width > 0 && size.height > 0;

/** How big the picture is drawn in the frame before zoom: shrunk to fit ("contain"), never enlarged. */
export function renderedSize(natural: Size, frame: Size): Size {
  if (natural.width <= frame.width && natural.height <= frame.height) return natural;
  const aspect = natural.width / natural.height;
  return frame.width / frame.height > aspect ? { width: frame.height * aspect, height: frame.height } : { width: frame.width, height: frame.width / aspect };
}

/** The round crop area's side in the frame: the largest square over the (turned) picture that fits. */
export function cropSide(natural: Size, frame: Size, rotation: QuarterTurn): number {
  const shown = turned(renderedSize(natural, frame), rotation);
  return Math.min(shown.width, frame.width, shown.height, frame.height);
}

/**
 * The square under the crop area, in whole pixels of the picture after the quarter turn, inside
 * it; undefined while there is none (no layout size yet, or a position that is not a number).
 */
export function squareInView(view: CropperView, natural: Size, frame: Size): Rect | undefined {
  const { crop, zoom, rotation } = view;
  if (!positive(natural) || !positive(frame) || ![crop.x, crop.y, zoom].every(Number.isFinite) || zoom <= 0) return undefined;
  const box = turned(renderedSize(natural, frame), rotation);
  const pixels = turned(natural, rotation);
  const side = cropSide(natural, frame, rotation);
  // The cropper keeps the picture under the crop area (restrictPosition): so does this.
  const maxX = Math.abs((box.width * zoom) / 2 - side / 2);
  const maxY = Math.abs((box.height * zoom) / 2 - side / 2);
  const [x, y] = [clamp(crop.x, -maxX, maxX), clamp(crop.y, -maxY, maxY)];
  const fraction = {
    left: clamp(((box.width - side / zoom) / 2 - x / zoom) / box.width, 0, 1),
    top: clamp(((box.height - side / zoom) / 2 - y / zoom) / box.height, 0, 1),
    width: clamp(side / box.width / zoom, 0, 1),
    height: clamp(side / box.height / zoom, 0, 1),
  };
  const width = Math.round(Math.min(pixels.width, fraction.width * pixels.width));
  const height = Math.round(Math.min(pixels.height, fraction.height * pixels.height));
  const size = pixels.width >= pixels.height ? height : width;
  if (!(size >= 1)) return undefined;
  return {
    left: Math.round(clamp(fraction.left * pixels.width, 0, pixels.width - size)),
    top: Math.round(clamp(fraction.top * pixels.height, 0, pixels.height - size)),
    width: size,
    height: size,
  };
}
