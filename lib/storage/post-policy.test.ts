import { describe, expect, it } from "vitest";

import { postPolicyConditions } from "./post-policy";

describe("postPolicyConditions", () => {
  const conditions = postPolicyConditions({ key: "uploads/u/x/original", contentType: "image/png", maxBytes: 10 * 1024 * 1024 });

  it("pins the exact key", () => {
    expect(conditions).toContainEqual({ key: "uploads/u/x/original" });
  });

  it("limits the size to between 1 byte and the configured maximum", () => {
    expect(conditions).toContainEqual(["content-length-range", 1, 10 * 1024 * 1024]);
  });

  it("pins the announced type and requires an image type", () => {
    expect(conditions).toContainEqual({ "Content-Type": "image/png" });
    expect(conditions).toContainEqual(["starts-with", "$Content-Type", "image/"]);
  });

  it("contains nothing that would let the browser choose another key prefix", () => {
    expect(JSON.stringify(conditions)).not.toContain("$key");
  });
});
