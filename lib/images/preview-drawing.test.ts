import { describe, expect, it } from "vitest";

import { applyAffine, previewTransform } from "./preview-drawing";

const natural = { width: 400, height: 300 };

const close = (actual: { x: number; y: number }, expected: { x: number; y: number }) => {
  expect(actual.x).toBeCloseTo(expected.x, 9);
  expect(actual.y).toBeCloseTo(expected.y, 9);
};

describe("previewTransform", () => {
  it("without a turn, scales the square onto the canvas", () => {
    const m = previewTransform({ left: 100, top: 50, width: 200, height: 200 }, natural, 0, 128);
    close(applyAffine(m, { x: 100, y: 50 }), { x: 0, y: 0 });
    close(applyAffine(m, { x: 300, y: 250 }), { x: 128, y: 128 });
  });

  it("turned a quarter clockwise: the picture's top-left corner is at the turned box's top-right", () => {
    // Turned, the 400×300 picture is a 300×400 box; the whole-width square at the top is (0,0)-(300,300).
    const m = previewTransform({ left: 0, top: 0, width: 300, height: 300 }, natural, 90, 300);
    close(applyAffine(m, { x: 0, y: 0 }), { x: 300, y: 0 });
    close(applyAffine(m, { x: 0, y: 300 }), { x: 0, y: 0 });
    close(applyAffine(m, { x: 400, y: 0 }), { x: 300, y: 400 });
  });

  it("a half turn puts the bottom-right corner at the top-left", () => {
    const m = previewTransform({ left: 0, top: 0, width: 300, height: 300 }, natural, 180, 300);
    close(applyAffine(m, { x: 400, y: 300 }), { x: 0, y: 0 });
    close(applyAffine(m, { x: 100, y: 0 }), { x: 300, y: 300 });
  });

  it("three quarters: the top-left corner is at the turned box's bottom-left", () => {
    const m = previewTransform({ left: 0, top: 100, width: 300, height: 300 }, natural, 270, 150);
    // The box is 300×400; the corner lands at (0, 400), which is (0, 300) in the square, scaled by a half.
    close(applyAffine(m, { x: 0, y: 0 }), { x: 0, y: 150 });
    close(applyAffine(m, { x: 400, y: 300 }), { x: 150, y: -50 });
  });
});
