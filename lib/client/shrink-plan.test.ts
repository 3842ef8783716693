import { describe, expect, it } from "vitest";

import { copyFileName, pickerMaxBytes, SHRINK_SHORT_SIDE, shrinkTarget, preferCopy } from "./shrink-plan";

describe("shrinkTarget", () => {
  it("is 512 × the crop step's maximum zoom on the short side", () => {
    expect(SHRINK_SHORT_SIDE).toBe(1536);
  });

  it("shrinks a 24 MP photo to a short side of 1536, keeping its aspect", () => {
    expect(shrinkTarget({ width: 6000, height: 4000 })).toEqual({ width: 2304, height: 1536 });
    expect(shrinkTarget({ width: 4000, height: 6000 })).toEqual({ width: 1536, height: 2304 });
  });

  it("leaves a picture alone whose short side is at most the target", () => {
    expect(shrinkTarget({ width: 1536, height: 9000 })).toBeNull();
    expect(shrinkTarget({ width: 1200, height: 1600 })).toBeNull();
    expect(shrinkTarget({ width: 0, height: 0 })).toBeNull();
    expect(shrinkTarget({ width: Number.NaN, height: 4000 })).toBeNull();
  });

  it("never makes the long side shorter than the short side (square and near-square)", () => {
    expect(shrinkTarget({ width: 3000, height: 3000 })).toEqual({ width: 1536, height: 1536 });
    expect(shrinkTarget({ width: 3001, height: 3000 })).toEqual({ width: 1537, height: 1536 });
  });
});

describe("pickerMaxBytes", () => {
  it("is UPLOAD_MAX_BYTES without shrinking, five times it with", () => {
    expect(pickerMaxBytes(10, false)).toBe(10);
    expect(pickerMaxBytes(10, true)).toBe(50);
  });
});

describe("preferCopy", () => {
  it("uploads the copy only when it is smaller than the original", () => {
    expect(preferCopy(1000, 999)).toBe(true);
    expect(preferCopy(1000, 1000)).toBe(false);
    expect(preferCopy(1000, 2000)).toBe(false);
    expect(preferCopy(1000, 0)).toBe(false);
  });
});

describe("copyFileName", () => {
  it("keeps the name, with the copy's extension", () => {
    expect(copyFileName("IMG_0001.HEIC.jpeg", "image/jpeg")).toBe("IMG_0001.HEIC.jpg");
    expect(copyFileName("scan.png", "image/webp")).toBe("scan.webp");
    expect(copyFileName(".png", "image/jpeg")).toBe("picture.jpg");
  });
});
