import { describe, expect, it } from "vitest";

import { parseAvatarSize, renditionAtLeast, renditionSrcSet, stableAvatarSrcSet } from "./sizes";

describe("avatar sizes", () => {
  it("take every integer from 16 to 512", () => {
    for (let size = 16; size <= 512; size += 1) expect(parseAvatarSize(String(size))).toBe(size);
  });

  it("refuse anything out of range or not written the canonical way", () => {
    for (const raw of ["0x40", "64.0", " 64", "64 ", "+64", "064", "-64", "6e1", "15", "513", "0", "", "64px", "١٢٨", "1000", "64\n"]) {
      expect(parseAvatarSize(raw), JSON.stringify(raw)).toBeUndefined();
    }
  });

  it("serve the smallest rendition at least that size", () => {
    expect([16, 40, 64].map(renditionAtLeast)).toEqual([64, 64, 64]);
    expect([65, 100, 128].map(renditionAtLeast)).toEqual([128, 128, 128]);
    expect([129, 256, 257, 512].map(renditionAtLeast)).toEqual([256, 256, 512, 512]);
  });

  it("give a 2× screen the 2× picture", () => {
    expect(stableAvatarSrcSet("u", 40)).toBe("/avatars/u/40 1x, /avatars/u/80 2x");
    expect(stableAvatarSrcSet("u", 300)).toBe("/avatars/u/300 1x, /avatars/u/512 2x");
    const urls = { 64: "a64", 128: "a128", 256: "a256", 512: "a512" };
    expect(renditionSrcSet(urls, 40)).toBe("a64 1x, a128 2x");
    expect(renditionSrcSet(urls, 96)).toBe("a128 1x, a256 2x");
  });
});
