import { describe, expect, it } from "vitest";

import { contrastRatio, hslToRgb, relativeLuminance, toHex } from "./contrast";

const white = { r: 255, g: 255, b: 255 };
const black = { r: 0, g: 0, b: 0 };

describe("WCAG contrast", () => {
  it("matches the definition's fixed points", () => {
    expect(relativeLuminance(white)).toBeCloseTo(1, 10);
    expect(relativeLuminance(black)).toBe(0);
    expect(contrastRatio(white, black)).toBeCloseTo(21, 10);
    expect(contrastRatio(black, white)).toBeCloseTo(21, 10);
    expect(contrastRatio(white, white)).toBe(1);
  });

  it("matches published values", () => {
    // #767676 on white is the lightest grey that passes AA (4.54:1).
    expect(contrastRatio({ r: 0x76, g: 0x76, b: 0x76 }, white)).toBeCloseTo(4.54, 2);
    expect(contrastRatio({ r: 0x77, g: 0x77, b: 0x77 }, white)).toBeLessThan(4.5);
  });

  it("converts HSL to RGB", () => {
    expect(toHex(hslToRgb(0, 1, 0.5))).toBe("#ff0000");
    expect(toHex(hslToRgb(120, 1, 0.25))).toBe("#008000");
    expect(toHex(hslToRgb(240, 0, 1))).toBe("#ffffff");
  });
});
