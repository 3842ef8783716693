import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { USER_ID_PATTERN } from "@/lib/storage/keys";

import { normalizeDevIdentity, userIdFor } from "./user-id";

describe("userIdFor", () => {
  const key = "a-deployment-key-of-at-least-32-bytes!";

  it("is stable, key-safe, and differs by provider and account", () => {
    const id = userIdFor(key, "github", "12345");
    expect(id).toMatch(USER_ID_PATTERN);
    expect(userIdFor(key, "github", "12345")).toBe(id);
    expect(userIdFor(key, "google", "12345")).not.toBe(id);
    expect(userIdFor(key, "github", "123456")).not.toBe(id);
  });

  it("cannot be computed from the public account id without the deployment's key", () => {
    const id = userIdFor(key, "github", "12345");
    // What anyone could compute before: sha256(provider NUL account id).
    const unkeyed = createHash("sha256").update("github\u000012345").digest("hex").slice(0, 24);
    expect(id).not.toBe(unkeyed);
    expect(userIdFor("another-deployment-key-of-32-bytes!!", "github", "12345")).not.toBe(id);
  });
});

describe("normalizeDevIdentity", () => {
  it("compares names case-insensitively and trims them", () => {
    expect(normalizeDevIdentity("  Alice@Example.com ")).toBe("alice@example.com");
  });
  it.each(["", "   ", "a".repeat(65), "<script>", "../x", 42, null])("refuses %j", (value) => {
    expect(normalizeDevIdentity(value)).toBeUndefined();
  });
});
