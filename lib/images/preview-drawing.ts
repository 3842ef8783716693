/**
 * The live avatar preview's maths (pure): where the crop step's picture lands on a small square
 * canvas. The cropper reports its square in the picture's pixels after the user's quarter turn
 * (react-easy-crop's croppedAreaPixels, in the turned picture's bounding box: the same space the
 * crop POST is scaled from), so the picture is turned about its centre into that box, then moved
 * and scaled so that the square fills the canvas. The server makes its renditions from the same
 * square of the original, so the two agree (e2e/crop-preview.spec.ts compares them).
 */

import type { QuarterTurn, Rect, Size } from "./crop-geometry";

/** A canvas transform, in the order of CanvasRenderingContext2D.setTransform(a, b, c, d, e, f). */
export type Affine = [a: number, b: number, c: number, d: number, e: number, f: number];

const COS_SIN: Record<QuarterTurn, [number, number]> = { 0: [1, 0], 90: [0, 1], 180: [-1, 0], 270: [0, -1] };

/** Maps the picture's pixels (as drawn with drawImage(image, 0, 0)) onto a `side` × `side` canvas showing `area`. */
export function previewTransform(area: Rect, natural: Size, rotation: QuarterTurn, side: number): Affine {
  const [cos, sin] = COS_SIN[rotation];
  const turned = rotation === 90 || rotation === 270 ? { width: natural.height, height: natural.width } : natural;
  const scale = side / area.width;
  // Turn about the picture's centre, put that centre at the turned box's centre, move the square to the origin, scale.
  const e = scale * (-cos * (natural.width / 2) + sin * (natural.height / 2) + turned.width / 2 - area.left);
  const f = scale * (-sin * (natural.width / 2) - cos * (natural.height / 2) + turned.height / 2 - area.top);
  return [scale * cos, scale * sin, -scale * sin, scale * cos, e, f];
}

export function applyAffine([a, b, c, d, e, f]: Affine, point: { x: number; y: number }): { x: number; y: number } {
  return { x: a * point.x + c * point.y + e, y: b * point.x + d * point.y + f };
}
