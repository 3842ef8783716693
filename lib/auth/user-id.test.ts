import { describe, expect, it } from "vitest";

import { USER_ID_PATTERN } from "@/lib/storage/keys";

import { normalizeDevIdentity, userIdFor } from "./user-id";

describe("userIdFor", () => {
  it("is stable, key-safe, and differs by provider and account", () => {
    const id = userIdFor("github", "12345");
    expect(id).toMatch(USER_ID_PATTERN);
    expect(userIdFor("github", "12345")).toBe(id);
    expect(userIdFor("google", "12345")).not.toBe(id);
    expect(userIdFor("github", "123456")).not.toBe(id);
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
