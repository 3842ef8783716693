import { describe, expect, it } from "vitest";

import { isAcceptedMimeType } from "./formats";

describe("formats", () => {
  it("accepts only raster types sharp reads, never SVG", () => {
    expect(isAcceptedMimeType("image/webp")).toBe(true);
    expect(isAcceptedMimeType("image/svg+xml")).toBe(false);
  });
});
