import { describe, expect, it } from "vitest";

import {
  cropProblem,
  displayTransform,
  exifTransform,
  scaleCropToOriginal,
  toStoredRect,
  transformedSize,
  type QuarterTurn,
  type Rect,
  type Size,
  type Transform,
} from "./crop-geometry";

const ORIENTATIONS = [1, 2, 3, 4, 5, 6, 7, 8];
const TURNS: QuarterTurn[] = [0, 90, 180, 270];

/** Applies a transform to one pixel (integer coordinates), the way an image library would. */
function movePixel(x: number, y: number, size: Size, t: Transform): [number, number] {
  let px = t.flop ? size.width - 1 - x : x;
  let py = y;
  const w = size.width;
  const h = size.height;
  if (t.rotate === 90) [px, py] = [h - 1 - py, px];
  if (t.rotate === 180) [px, py] = [w - 1 - px, h - 1 - py];
  if (t.rotate === 270) [px, py] = [py, w - 1 - px];
  return [px, py];
}

describe("EXIF orientation transforms", () => {
  it("knows all eight orientations and treats unknown values as upright", () => {
    expect(exifTransform(6)).toEqual({ flop: false, rotate: 90 });
    expect(exifTransform(5)).toEqual({ flop: true, rotate: 270 });
    expect(exifTransform(undefined)).toEqual({ flop: false, rotate: 0 });
    expect(exifTransform(0)).toEqual({ flop: false, rotate: 0 });
    expect(exifTransform(42)).toEqual({ flop: false, rotate: 0 });
  });

  it("swaps width and height for orientations 5-8", () => {
    const stored = { width: 1800, height: 1200 };
    for (const o of ORIENTATIONS) {
      const displayed = transformedSize(stored, exifTransform(o));
      expect(displayed).toEqual(o >= 5 ? { width: 1200, height: 1800 } : stored);
    }
  });

  it("adds the user's rotation after the orientation", () => {
    expect(displayTransform(6, 90)).toEqual({ flop: false, rotate: 180 });
    expect(displayTransform(7, 270)).toEqual({ flop: true, rotate: 0 });
  });
});

describe("toStoredRect", () => {
  const stored = { width: 7, height: 5 };

  it.each(ORIENTATIONS.flatMap((o) => TURNS.map((r) => [o, r] as const)))(
    "orientation %i, rotation %i: every pixel of a displayed rectangle maps inside the stored rectangle",
    (orientation, rotation) => {
      const transform = displayTransform(orientation, rotation);
      const displayed = transformedSize(stored, transform);
      const rect: Rect = { left: 1, top: 2, width: 2, height: Math.min(3, displayed.height - 2) };
      const storedRect = toStoredRect(rect, stored, transform);
      expect(storedRect.width * storedRect.height).toBe(rect.width * rect.height);

      // Brute force: the stored pixels that land inside `rect` are exactly those inside `storedRect`.
      for (let y = 0; y < stored.height; y++) {
        for (let x = 0; x < stored.width; x++) {
          const [dx, dy] = movePixel(x, y, stored, transform);
          const inDisplayed = dx >= rect.left && dx < rect.left + rect.width && dy >= rect.top && dy < rect.top + rect.height;
          const inStored = x >= storedRect.left && x < storedRect.left + storedRect.width && y >= storedRect.top && y < storedRect.top + storedRect.height;
          expect(inStored).toBe(inDisplayed);
        }
      }
    },
  );
});

describe("cropProblem", () => {
  const displayed = { width: 1200, height: 800 };
  it("accepts a square inside the picture", () => {
    expect(cropProblem({ left: 0, top: 0, width: 800, height: 800, rotation: 0 }, displayed)).toBeUndefined();
  });
  it.each([
    [{ left: -1, top: 0, width: 10, height: 10 }, /outside/],
    [{ left: 0, top: 0, width: 0, height: 0 }, /empty/],
    [{ left: 500, top: 0, width: 800, height: 800 }, /outside the picture \(1200×800/],
    [{ left: 0, top: 0, width: 400, height: 200 }, /square/],
    [{ left: 0.5, top: 0, width: 10, height: 10 }, /whole pixels/],
  ])("refuses %j with a sentence", (rect, message) => {
    expect(cropProblem({ ...rect, rotation: 0 }, displayed)).toMatch(message);
  });
});

describe("scaleCropToOriginal", () => {
  it("scales the cropper's rectangle on the preview onto the original, square and inside it", () => {
    const rect = scaleCropToOriginal({ left: 100, top: 50, width: 400, height: 400 }, { width: 1600, height: 1067 }, { width: 6000, height: 4000 });
    expect(rect).toEqual({ left: 375, top: 187, width: 1500, height: 1500 });
  });

  it("clamps a rectangle that rounding pushed past the edge", () => {
    const rect = scaleCropToOriginal({ left: 1200, top: 667, width: 400.4, height: 400.4 }, { width: 1600, height: 1067 }, { width: 6000, height: 4000 });
    expect(rect.left + rect.width).toBeLessThanOrEqual(6000);
    expect(rect.top + rect.height).toBeLessThanOrEqual(4000);
    expect(rect.width).toBe(rect.height);
  });
});
