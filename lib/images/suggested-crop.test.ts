import { describe, expect, it } from "vitest";

import { ANALYSIS_SIDE, cropStart, relativeCentre, scaleSquare, squareFromAttention } from "./suggested-crop";

describe("squareFromAttention", () => {
  const landscape = { width: 1600, height: 1067 };

  it("is the largest square, moved by the analysis offset scaled back to the picture", () => {
    // 1600×1067 shrinks to 192×128: a 64 px offset is the right-most square.
    expect(squareFromAttention(landscape, { left: -64, top: 0 })).toEqual({ left: 533, top: 0, width: 1067, height: 1067 });
    expect(squareFromAttention(landscape, { left: 0, top: 0 })).toEqual({ left: 0, top: 0, width: 1067, height: 1067 });
    expect(squareFromAttention(landscape, { left: -32, top: 0 }).left).toBe(Math.round((32 * 1067) / ANALYSIS_SIDE));
  });

  it("works for portraits along the height", () => {
    expect(squareFromAttention({ width: 900, height: 1600 }, { left: 0, top: -50 })).toEqual({ left: 0, top: 352, width: 900, height: 900 });
  });

  it("never leaves the picture, whatever sharp rounds to", () => {
    expect(squareFromAttention(landscape, { left: -70, top: -3 })).toEqual({ left: 533, top: 0, width: 1067, height: 1067 });
  });
});

describe("scaleSquare", () => {
  it("maps a square on the preview onto the original as displayed, and back", () => {
    const preview = { width: 1600, height: 1067 };
    const original = { width: 6000, height: 4000 };
    const onOriginal = scaleSquare({ left: 533, top: 0, width: 1067, height: 1067 }, preview, original);
    expect(onOriginal).toEqual({ left: 1999, top: 0, width: 4000, height: 4000 });
    const back = scaleSquare(onOriginal, original, preview);
    expect(back.width).toBe(back.height);
    expect(back.left + back.width).toBeLessThanOrEqual(preview.width);
    expect(Math.abs(back.left - 533)).toBeLessThanOrEqual(1);
  });

  it("stays square and inside when the two sizes' aspect ratios differ by rounding", () => {
    const rect = scaleSquare({ left: 0, top: 0, width: 1067, height: 1067 }, { width: 1600, height: 1067 }, { width: 4000, height: 2666 });
    expect(rect).toEqual({ left: 0, top: 0, width: 2666, height: 2666 });
  });

  it("keeps the largest square the largest from a small copy whose width was rounded up", () => {
    expect(scaleSquare({ left: 154, top: 0, width: 256, height: 256 }, { width: 410, height: 256 }, { width: 1600, height: 1000 })).toEqual({ left: 600, top: 0, width: 1000, height: 1000 });
    expect(scaleSquare({ left: 0, top: 0, width: 256, height: 256 }, { width: 256, height: 410 }, { width: 1000, height: 1600 })).toMatchObject({ width: 1000, height: 1000 });
  });

  it("is the identity at the same size", () => {
    const rect = { left: 10, top: 20, width: 300, height: 300 };
    expect(scaleSquare(rect, { width: 800, height: 600 }, { width: 800, height: 600 })).toEqual(rect);
  });
});

describe("relativeCentre", () => {
  it("is the square's centre as fractions of the picture", () => {
    expect(relativeCentre({ left: 100, top: 0, width: 200, height: 200 }, { width: 800, height: 200 })).toEqual({ x: 0.25, y: 0.5 });
  });
});

describe("cropStart", () => {
  const first = { left: 10, top: 0, width: 100, height: 100 };
  const later = { left: 40, top: 0, width: 100, height: 100 };

  it("opens on a suggestion that arrives after the step is shown, while the crop is untouched", () => {
    expect(cropStart(undefined, later, false)).toBe(later);
    expect(cropStart(first, later, false)).toBe(later);
  });

  it("keeps what the user has once they moved, zoomed or turned", () => {
    expect(cropStart(undefined, later, true)).toBeUndefined();
    expect(cropStart(first, later, true)).toBe(first);
  });

  it("keeps the same object for the same square, and the current one when none arrived", () => {
    expect(cropStart(first, { ...first }, false)).toBe(first);
    expect(cropStart(first, undefined, false)).toBe(first);
  });
});
