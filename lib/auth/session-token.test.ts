import { describe, expect, it } from "vitest";

import { sessionClaimsFor, sessionUserId } from "./session-token";

describe("sessionUserId", () => {
  const issuers = new Map([["oidc", "https://sso.example.com"]]);
  const claims = sessionClaimsFor("0123456789abcdef01234567", { provider: "oidc", issuer: "https://sso.example.com", subject: "alice" });

  it("is the session's user while its provider is on with the same issuer", () => {
    expect(sessionUserId(claims, issuers)).toBe("0123456789abcdef01234567");
  });

  it("is nobody once the provider is off, its issuer replaced, or the token names no provider", () => {
    expect(sessionUserId({ ...claims, provider: "dev", issuer: "urn:avatar-relay:development-sign-in" }, issuers)).toBeUndefined();
    expect(sessionUserId(claims, new Map([["oidc", "https://other-sso.example.com"]]))).toBeUndefined();
    expect(sessionUserId(claims, new Map())).toBeUndefined();
    expect(sessionUserId({ uid: claims.uid }, issuers)).toBeUndefined();
    expect(sessionUserId({ ...claims, uid: 42 }, issuers)).toBeUndefined();
  });
});
