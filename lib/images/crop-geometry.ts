/**
 * Crop geometry (pure). The user picks a rectangle on the picture as they see it: EXIF orientation
 * applied, then their own quarter-turn rotation. Instead of orienting and rotating the whole
 * (possibly 48 MP) picture, the server maps that rectangle back onto the stored pixels, extracts
 * and shrinks there, and turns only the small result upright.
 */

export type QuarterTurn = 0 | 90 | 180 | 270;

/** A dihedral transform in the order sharp applies it: mirror left-right first (flop), then rotate clockwise. */
export type Transform = { flop: boolean; rotate: QuarterTurn };

export type Size = { width: number; height: number };
export type Rect = { left: number; top: number; width: number; height: number };

const EXIF_TRANSFORMS: Record<number, Transform> = {
  1: { flop: false, rotate: 0 },
  2: { flop: true, rotate: 0 },
  3: { flop: false, rotate: 180 },
  4: { flop: true, rotate: 180 },
  5: { flop: true, rotate: 270 },
  6: { flop: false, rotate: 90 },
  7: { flop: true, rotate: 90 },
  8: { flop: false, rotate: 270 },
};

/** EXIF orientation 1-8 as a transform; anything else (absent, 0, garbage) is treated as upright. */
export function exifTransform(orientation: number | undefined): Transform {
  return EXIF_TRANSFORMS[orientation ?? 1] ?? EXIF_TRANSFORMS[1]!;
}

export function isQuarterTurn(value: number): value is QuarterTurn {
  return value === 0 || value === 90 || value === 180 || value === 270;
}

/** The user's rotation applied after the EXIF orientation: rotations after a flop simply add up. */
export function displayTransform(orientation: number | undefined, rotation: QuarterTurn): Transform {
  const base = exifTransform(orientation);
  return { flop: base.flop, rotate: ((base.rotate + rotation) % 360) as QuarterTurn };
}

export function transformedSize(size: Size, transform: Transform): Size {
  return transform.rotate === 90 || transform.rotate === 270 ? { width: size.height, height: size.width } : size;
}

type Point = { x: number; y: number };

/** Rotates a point (continuous coordinates) of an image of `size` clockwise by `turn`. */
function rotatePoint(point: Point, size: Size, turn: QuarterTurn): Point {
  switch (turn) {
    case 0:
      return point;
    case 90:
      return { x: size.height - point.y, y: point.x };
    case 180:
      return { x: size.width - point.x, y: size.height - point.y };
    case 270:
      return { x: point.y, y: size.width - point.x };
  }
}

/** Maps a point of the displayed picture back to the stored picture (the inverse transform). */
function toStoredPoint(point: Point, stored: Size, transform: Transform): Point {
  const displayed = transformedSize(stored, transform);
  const undoRotation = ((360 - transform.rotate) % 360) as QuarterTurn;
  const unrotated = rotatePoint(point, displayed, undoRotation);
  return transform.flop ? { x: stored.width - unrotated.x, y: unrotated.y } : unrotated;
}

/** Maps a rectangle on the displayed picture to the same pixels of the stored picture. */
export function toStoredRect(rect: Rect, stored: Size, transform: Transform): Rect {
  const a = toStoredPoint({ x: rect.left, y: rect.top }, stored, transform);
  const b = toStoredPoint({ x: rect.left + rect.width, y: rect.top + rect.height }, stored, transform);
  const left = Math.min(a.x, b.x);
  const top = Math.min(a.y, b.y);
  return { left, top, width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

export type CropRequest = Rect & { rotation: QuarterTurn };

export type CropProblem = string;

/**
 * Checks a crop against the displayed size of the picture; returns a sentence a person can act on,
 * or undefined when the crop is fine. The crop must be (nearly) square: avatars are square.
 */
export function cropProblem(crop: CropRequest, displayed: Size): CropProblem | undefined {
  const { left, top, width, height } = crop;
  if (![left, top, width, height].every(Number.isInteger)) return "Crop coordinates must be whole pixels.";
  if (left < 0 || top < 0) return "The crop starts outside the picture.";
  if (width < 1 || height < 1) return "The crop is empty.";
  if (left + width > displayed.width || top + height > displayed.height) {
    return `The crop goes outside the picture (${displayed.width}×${displayed.height} pixels as shown).`;
  }
  const tolerance = Math.max(2, Math.round(Math.max(width, height) * 0.01));
  if (Math.abs(width - height) > tolerance) return "The crop must be square.";
  return undefined;
}

/**
 * Turns the cropper's rectangle on the preview (which may be smaller than the original) into whole
 * pixels of the original as displayed. Used by the browser; kept here so it is tested with the rest.
 */
export function scaleCropToOriginal(area: Rect, previewDisplayed: Size, originalDisplayed: Size): Rect {
  const sx = originalDisplayed.width / previewDisplayed.width;
  const sy = originalDisplayed.height / previewDisplayed.height;
  const left = clamp(Math.round(area.left * sx), 0, originalDisplayed.width - 1);
  const top = clamp(Math.round(area.top * sy), 0, originalDisplayed.height - 1);
  // One side for both dimensions keeps the crop square after rounding.
  const side = Math.max(1, Math.min(Math.round(area.width * sx), originalDisplayed.width - left, originalDisplayed.height - top));
  return { left, top, width: side, height: side };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
