import { describe, expect, it } from "vitest";

import { bearerTokenMatches } from "./scrape-access";

const token = "0123456789abcdef0123456789abcdef";

describe("bearerTokenMatches", () => {
  it("takes exactly Bearer <token>, the scheme in any case", () => {
    expect(bearerTokenMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerTokenMatches(`bearer ${token}`, token)).toBe(true);
    expect(bearerTokenMatches(` Bearer  ${token} `, token)).toBe(true);
  });

  it("refuses no header, another scheme, another token, a prefix or an extension of it", () => {
    for (const header of [null, "", "Bearer", "Bearer ", token, `Basic ${token}`, `Bearer ${token.slice(0, -1)}`, `Bearer ${token}0`, `Bearer ${token} ${token}`, `Bearer ${token.toUpperCase()}`]) {
      expect(bearerTokenMatches(header, token), String(header)).toBe(false);
    }
  });

  it("refuses an empty header even against an empty token (never configured that way, still not a match)", () => {
    expect(bearerTokenMatches("Bearer ", "")).toBe(false);
  });
});
