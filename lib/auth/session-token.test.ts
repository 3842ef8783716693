import { describe, expect, it } from "vitest";

import { hasSessionCookie, SESSION_MAX_AGE_MS, sessionClaimsFor, sessionUserId, sessionWasEnded, signedInOf } from "./session-token";

describe("sessionUserId", () => {
  const issuers = new Map([["oidc", "https://sso.example.com"]]);
  const claims = sessionClaimsFor("0123456789abcdef0123456789ab", { provider: "oidc", issuer: "https://sso.example.com", subject: "alice" }, { sid: "s-1", at: 1_000 });

  const soon = 1_000 + 60_000;

  it("is the session's user while its provider is on with the same issuer", () => {
    expect(sessionUserId(claims, issuers, soon)).toBe("0123456789abcdef0123456789ab");
  });

  it("is nobody from SESSION_MAX_AGE_MS after the sign-in, however recently the token was re-issued", () => {
    expect(SESSION_MAX_AGE_MS).toBe(30 * 24 * 60 * 60 * 1000);
    expect(sessionUserId(claims, issuers, 1_000 + SESSION_MAX_AGE_MS - 1)).toBe(claims.uid);
    expect(sessionUserId(claims, issuers, 1_000 + SESSION_MAX_AGE_MS)).toBeUndefined();
    expect(sessionUserId({ ...claims, sat: undefined }, issuers, soon)).toBeUndefined();
    expect(sessionUserId({ ...claims, sat: "1000" }, issuers, soon)).toBeUndefined();
  });

  it("is nobody once the provider is off, its issuer replaced, or the token names no provider", () => {
    expect(sessionUserId({ ...claims, provider: "dev", issuer: "urn:avatar-relay:development-sign-in" }, issuers, soon)).toBeUndefined();
    expect(sessionUserId(claims, new Map([["oidc", "https://other-sso.example.com"]]), soon)).toBeUndefined();
    expect(sessionUserId(claims, new Map(), soon)).toBeUndefined();
    expect(sessionUserId({ uid: claims.uid }, issuers, soon)).toBeUndefined();
    expect(sessionUserId({ ...claims, uid: 42 }, issuers, soon)).toBeUndefined();
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
    expect(sessionWasEnded(signedInOf({ uid: "0123456789abcdef0123456789ab" }), ended)).toBe(true);
    expect(sessionWasEnded(signedInOf({ sid: 7, sat: "late" }), { version: 1, endedAt: 1 })).toBe(true);
  });

  it("reads the sign-in the claims carry", () => {
    expect(signedInOf(sessionClaimsFor("0123456789abcdef0123456789ab", { provider: "dev", issuer: "x", subject: "a" }, { sid: "s-9", at: 9 }))).toEqual({ sid: "s-9", at: 9 });
  });
});

describe("hasSessionCookie", () => {
  it("finds next-auth's session cookie over http and https, whole or chunked, and nothing else", () => {
    for (const name of ["next-auth.session-token", "__Secure-next-auth.session-token", "next-auth.session-token.0"]) expect(hasSessionCookie(["other", name]), name).toBe(true);
    expect(hasSessionCookie([])).toBe(false);
    expect(hasSessionCookie(["next-auth.csrf-token", "__Host-next-auth.csrf-token", "next-auth.callback-url", "session-token"])).toBe(false);
  });
});
