import { getInitialCropFromCroppedAreaPixels } from "react-easy-crop";
import { describe, expect, it } from "vitest";

import type { QuarterTurn, Size } from "./crop-geometry";
import { cropSide, renderedSize, squareInView } from "./cropper-view";
import { seededRandom } from "@/test/harness/seeded-random";

const TURNS: QuarterTurn[] = [0, 90, 180, 270];
const MAX_ZOOM = 3;

describe("squareInView", () => {
  it("gives back the square react-easy-crop was opened on, for any picture, frame and quarter turn", () => {
    const next = seededRandom(23);
    let checked = 0;
    for (let i = 0; i < 2000; i++) {
      const natural: Size = { width: 40 + Math.floor(next() * 4000), height: 40 + Math.floor(next() * 4000) };
      const frame: Size = { width: 200 + Math.floor(next() * 900), height: 200 + Math.floor(next() * 300) };
      const rotation = TURNS[i % 4]!;
      const turnedPicture = rotation % 180 === 0 ? natural : { width: natural.height, height: natural.width };
      const largest = Math.min(turnedPicture.width, turnedPicture.height);
      // A square the zoom range can show: from the largest square down to a third of it.
      const side = Math.max(1, Math.round(largest * (1 / MAX_ZOOM + next() * (1 - 1 / MAX_ZOOM))));
      const target = { x: Math.floor(next() * (turnedPicture.width - side + 1)), y: Math.floor(next() * (turnedPicture.height - side + 1)), width: side, height: side };
      const shown = renderedSize(natural, frame);
      const cropSize = { width: cropSide(natural, frame, rotation), height: cropSide(natural, frame, rotation) };
      const media = { ...shown, naturalWidth: natural.width, naturalHeight: natural.height };
      const { crop, zoom } = getInitialCropFromCroppedAreaPixels(target, media, rotation, cropSize, 1, MAX_ZOOM);
      const square = squareInView({ crop, zoom, rotation }, natural, frame);
      expect(square, JSON.stringify({ natural, frame, rotation, target })).toBeDefined();
      const tolerance = Math.max(1, Math.ceil(side * 0.002));
      expect(Math.abs(square!.left - target.x), JSON.stringify({ natural, frame, rotation, target, square })).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(square!.top - target.y)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(square!.width - side)).toBeLessThanOrEqual(tolerance);
      checked++;
    }
    expect(checked).toBe(2000);
  });

  it("is always whole, square and inside the picture, wherever the position and zoom are", () => {
    const next = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const natural: Size = { width: 1 + Math.floor(next() * 5000), height: 1 + Math.floor(next() * 5000) };
      const frame: Size = { width: 1 + next() * 1200, height: 1 + next() * 600 };
      const rotation = TURNS[i % 4]!;
      const view = { crop: { x: (next() - 0.5) * 1e5, y: (next() - 0.5) * 1e5 }, zoom: 1 + next() * 2, rotation };
      const square = squareInView(view, natural, frame)!;
      const turnedPicture = rotation % 180 === 0 ? natural : { width: natural.height, height: natural.width };
      const where = JSON.stringify({ natural, frame, view, square });
      expect([square.left, square.top, square.width, square.height].every(Number.isInteger), where).toBe(true);
      expect(square.width, where).toBe(square.height);
      expect(square.width, where).toBeGreaterThanOrEqual(1);
      expect(square.left >= 0 && square.top >= 0, where).toBe(true);
      expect(square.left + square.width <= turnedPicture.width && square.top + square.height <= turnedPicture.height, where).toBe(true);
    }
  });

  it("has no square while the frame or the picture has no size, or the position is not a number", () => {
    const view = { crop: { x: 0, y: 0 }, zoom: 1, rotation: 0 as const };
    const natural = { width: 1200, height: 1800 };
    expect(squareInView(view, natural, { width: 316, height: 420 })).toEqual({ left: 0, top: 300, width: 1200, height: 1200 });
    expect(squareInView(view, natural, { width: 0, height: 0 })).toBeUndefined();
    expect(squareInView(view, { width: 0, height: 0 }, { width: 316, height: 420 })).toBeUndefined();
    expect(squareInView({ ...view, zoom: Number.NaN }, natural, { width: 316, height: 420 })).toBeUndefined();
    expect(squareInView({ ...view, crop: { x: Number.NaN, y: 0 } }, natural, { width: 316, height: 420 })).toBeUndefined();
  });
});
