import { describe, expect, it } from "vitest";

import { hasSessionCookie, sessionClaimsFor, sessionUserId, sessionWasEnded, signedInOf } from "./session-token";

describe("sessionUserId", () => {
  const issuers = new Map([["oidc", "https://sso.example.com"]]);
  const claims = sessionClaimsFor("0123456789abcdef01234567", { provider: "oidc", issuer: "https://sso.example.com", subject: "alice" }, { sid: "s-1", at: 1_000 });

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

describe("sessionWasEnded", () => {
  const ended = { version: 1, endedAt: 5_000, kept: "s-keep" } as const;

  it("ends sessions signed in before the end, except the one that asked", () => {
    expect(sessionWasEnded({ sid: "s-other", at: 4_999 }, ended)).toBe(true);
    expect(sessionWasEnded({ sid: "s-keep", at: 1_000 }, ended)).toBe(false);
  });

  it("leaves sessions signed in since, and every session of a user who never ended any", () => {
    expect(sessionWasEnded({ sid: "s-new", at: 5_000 }, ended)).toBe(false);
    expect(sessionWasEnded({ sid: "s-other", at: 1 }, null)).toBe(false);
  });

  it("counts a token without a sign-in time or id (made before tokens carried them) as older than any end", () => {
    expect(sessionWasEnded(signedInOf({ uid: "0123456789abcdef01234567" }), ended)).toBe(true);
    expect(sessionWasEnded(signedInOf({ sid: 7, sat: "late" }), { version: 1, endedAt: 1 })).toBe(true);
  });

  it("reads the sign-in the claims carry", () => {
    expect(signedInOf(sessionClaimsFor("0123456789abcdef01234567", { provider: "dev", issuer: "x", subject: "a" }, { sid: "s-9", at: 9 }))).toEqual({ sid: "s-9", at: 9 });
  });
});

describe("hasSessionCookie", () => {
  it("finds next-auth's session cookie over http and https, whole or chunked, and nothing else", () => {
    for (const name of ["next-auth.session-token", "__Secure-next-auth.session-token", "next-auth.session-token.0"]) expect(hasSessionCookie(["other", name]), name).toBe(true);
    expect(hasSessionCookie([])).toBe(false);
    expect(hasSessionCookie(["next-auth.csrf-token", "__Host-next-auth.csrf-token", "next-auth.callback-url", "session-token"])).toBe(false);
  });
});
