import { describe, expect, it } from "vitest";

import { ifNoneMatchHits } from "./etag";

describe("If-None-Match", () => {
  it("hits on the same tag, weak or strong, in a list, or *", () => {
    expect(ifNoneMatchHits('"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('W/"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('"x", "abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits("*", '"abc"')).toBe(true);
  });

  it("misses on another tag or none", () => {
    expect(ifNoneMatchHits('"abd"', '"abc"')).toBe(false);
    expect(ifNoneMatchHits("abc", '"abc"')).toBe(false);
    expect(ifNoneMatchHits("", '"abc"')).toBe(false);
    expect(ifNoneMatchHits(null, '"abc"')).toBe(false);
  });
});
