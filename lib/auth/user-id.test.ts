import { createHash, randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { USER_ID_PATTERN } from "@/lib/storage/keys";

import { isIssuedUserId, normalizeDevIdentity, userIdFor } from "./user-id";

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
    const unkeyed = createHash("sha256").update("github\u0000https://github.com\u000012345").digest("hex");
    expect(id.slice(0, 20)).not.toBe(unkeyed.slice(0, 20));
    expect(userIdFor("another-deployment-key-of-32-bytes!!", github)).not.toBe(id);
  });
});

describe("isIssuedUserId", () => {
  const key = "a-deployment-key-of-at-least-32-bytes!";
  const ids = Array.from({ length: 200 }, (_, i) => userIdFor(key, { provider: "oidc", issuer: "https://sso.example.com", subject: `user-${i}` }));

  it("knows every id the deployment issued", () => {
    for (const id of ids) expect(isIssuedUserId(key, id), id).toBe(true);
  });

  it("refuses an id with any digit of its account or its tag changed, and the ids of another deployment", () => {
    const id = ids[0]!;
    for (let at = 0; at < id.length; at += 1) {
      const changed = `${id.slice(0, at)}${id[at] === "0" ? "1" : "0"}${id.slice(at + 1)}`;
      expect(isIssuedUserId(key, changed), changed).toBe(false);
    }
    expect(isIssuedUserId("another-deployment-key-of-32-bytes!!", id)).toBe(false);
  });

  it("refuses random ids of the right shape (what a flood of made-up ids sends)", () => {
    const random = Array.from({ length: 2000 }, () => randomBytes(14).toString("hex"));
    expect(random.filter((id) => isIssuedUserId(key, id))).toEqual([]);
  });

  it.each(["", "0123456789abcdef01234567", "../etc/passwd", "0123456789ABCDEF0123456789AB", "é".repeat(28)])("refuses %j, which is not a user id at all", (value) => {
    expect(isIssuedUserId(key, value)).toBe(false);
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
