import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { contrastRatio } from "./contrast";
import { backgroundFor, defaultAvatarDesign, defaultAvatarSvg, identiconCells, MIN_TEXT_CONTRAST } from "./default-avatar";

const white = { r: 255, g: 255, b: 255 };
const ids = Array.from({ length: 5000 }, (_, i) => createHmac("sha256", "k").update(String(i)).digest("hex").slice(0, 24));

describe("the default avatar", () => {
  it("has white text on a background with at least 4.5:1 contrast, for every id", () => {
    for (const id of [...ids, "000000000000000000000000", "ffffffffffffffffffffffff", "ffff00ff0000000000000000"]) {
      expect(contrastRatio(backgroundFor(id), white), id).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    }
  });

  it("spreads users over many colours", () => {
    const hues = new Set(ids.slice(0, 500).map((id) => JSON.stringify(backgroundFor(id))));
    expect(hues.size).toBeGreaterThan(400);
  });

  it("is the same picture for the same user, and differs between users", () => {
    for (const id of ids.slice(0, 200)) {
      expect(defaultAvatarSvg(defaultAvatarDesign(id), 64)).toBe(defaultAvatarSvg(defaultAvatarDesign(id), 64));
      expect(defaultAvatarDesign(id, "AL")).toEqual(defaultAvatarDesign(id, "AL"));
    }
    const patterns = new Set(ids.slice(0, 500).map((id) => JSON.stringify(identiconCells(id))));
    expect(patterns.size).toBeGreaterThan(490);
  });

  it("draws a mirrored, never empty identicon", () => {
    for (const id of [...ids.slice(0, 500), "000000000000000000000000"]) {
      const cells = identiconCells(id);
      expect(cells).toHaveLength(5);
      for (const row of cells) expect(row).toEqual([...row].reverse());
      expect(cells.flat().some(Boolean)).toBe(true);
    }
  });

  it("shows initials when they are known, the identicon otherwise", () => {
    const id = ids[0]!;
    expect(defaultAvatarDesign(id, "AL").kind).toBe("initials");
    expect(defaultAvatarDesign(id).kind).toBe("identicon");
    expect(defaultAvatarDesign(id, "<b>").kind).toBe("identicon"); // never text that is not initials
    expect(defaultAvatarSvg(defaultAvatarDesign(id, "AL"), 100)).toContain(">AL</text>");
    expect(defaultAvatarSvg(defaultAvatarDesign(id), 16)).toMatch(/^<svg [^>]*width="16" height="16"/);
  });

  it("refuses an id that is not hex", () => {
    expect(() => defaultAvatarDesign("not-a-user")).toThrow();
  });
});
