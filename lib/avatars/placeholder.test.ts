import { rgbaToThumbHash, thumbHashToAverageRGBA } from "thumbhash";
import { describe, expect, it } from "vitest";

import { placeholderStyle, placeholderUrl, THUMB_HASH_PATTERN } from "./placeholder";

/** A 64×64 picture: red on the left half, blue on the right. */
function halfAndHalf(): Uint8Array {
  const rgba = new Uint8Array(64 * 64 * 4);
  for (let y = 0; y < 64; y++) {
    for (let x = 0; x < 64; x++) {
      const at = (y * 64 + x) * 4;
      rgba.set(x < 32 ? [220, 30, 30, 255] : [30, 30, 220, 255], at);
    }
  }
  return rgba;
}

const encoded = Buffer.from(rgbaToThumbHash(64, 64, halfAndHalf())).toString("base64");

describe("placeholderUrl", () => {
  it("draws a ThumbHash as a PNG data URL", () => {
    expect(encoded).toMatch(THUMB_HASH_PATTERN);
    const url = placeholderUrl(encoded);
    expect(url).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    // The PNG's bytes start with the PNG signature.
    const png = Buffer.from(url!.split(",")[1]!, "base64");
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("keeps the picture's colours (the average of red and blue is purple)", () => {
    const { r, g, b } = thumbHashToAverageRGBA(Uint8Array.from(Buffer.from(encoded, "base64")));
    expect(r).toBeGreaterThan(0.3);
    expect(b).toBeGreaterThan(0.3);
    expect(g).toBeLessThan(0.25);
  });

  it("gives nothing for a missing, malformed or oversized hash", () => {
    expect(placeholderUrl(undefined)).toBeUndefined();
    expect(placeholderUrl("")).toBeUndefined();
    expect(placeholderUrl("not base64!")).toBeUndefined();
    expect(placeholderUrl("A".repeat(200))).toBeUndefined();
  });
});

describe("placeholderStyle", () => {
  it("paints the placeholder as a background the picture covers", () => {
    expect(placeholderStyle(encoded)).toEqual({ backgroundImage: `url("${placeholderUrl(encoded)}")`, backgroundSize: "cover" });
    expect(placeholderStyle(undefined)).toBeUndefined();
  });
});
