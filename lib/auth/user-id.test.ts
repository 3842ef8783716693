import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { USER_ID_PATTERN } from "@/lib/storage/keys";

import { normalizeDevIdentity, userIdFor } from "./user-id";

describe("userIdFor", () => {
  const key = "a-deployment-key-of-at-least-32-bytes!";

  const github = { provider: "github", issuer: "https://github.com", subject: "12345" };

  it("is stable, key-safe, and differs by provider and account", () => {
    const id = userIdFor(key, github);
    expect(id).toMatch(USER_ID_PATTERN);
    expect(userIdFor(key, { ...github })).toBe(id);
    expect(userIdFor(key, { ...github, provider: "google" })).not.toBe(id);
    expect(userIdFor(key, { ...github, subject: "123456" })).not.toBe(id);
  });

  it("binds the account to its issuer: the same sub at another issuer is another user", () => {
    const atA = userIdFor(key, { provider: "oidc", issuer: "https://sso-a.example.com", subject: "alice" });
    expect(userIdFor(key, { provider: "oidc", issuer: "https://sso-b.example.com", subject: "alice" })).not.toBe(atA);
  });

  it("cannot be computed from the public account id without the deployment's key", () => {
    const id = userIdFor(key, github);
    // What anyone could compute: sha256(provider NUL issuer NUL account id).
    const unkeyed = createHash("sha256").update("github\u0000https://github.com\u000012345").digest("hex").slice(0, 24);
    expect(id).not.toBe(unkeyed);
    expect(userIdFor("another-deployment-key-of-32-bytes!!", github)).not.toBe(id);
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
