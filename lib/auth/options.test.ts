import type { Account, NextAuthOptions, Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";

import { PRODUCTION_TEST_ENV } from "@/test/harness/production-env";

/**
 * The session callbacks as getServerSession runs them for currentUser(): the sign-in's jwt callback
 * writes the token, and every later request's session callback decides whether it still names a user.
 */

const OIDC = { AUTH_OIDC_ISSUER: "https://sso.example.com", AUTH_OIDC_ID: "avatar-relay", AUTH_OIDC_SECRET: "s" };

async function optionsWith(env: Record<string, string>): Promise<NextAuthOptions> {
  vi.resetModules();
  vi.unstubAllEnvs();
  for (const name of ["AUTH_DEV_LOGIN", "AUTH_OIDC_ISSUER", "AUTH_OIDC_ID", "AUTH_OIDC_SECRET", "AUTH_GITHUB_ID", "AUTH_GOOGLE_ID"]) vi.stubEnv(name, "");
  for (const [name, value] of Object.entries({ ...PRODUCTION_TEST_ENV, ...env })) vi.stubEnv(name, value);
  return (await import("./options")).getAuthOptions();
}

async function signIn(options: NextAuthOptions, account: Pick<Account, "provider" | "providerAccountId" | "type">): Promise<JWT> {
  const jwt = options.callbacks!.jwt!;
  return jwt({ token: { name: account.providerAccountId }, account: account as Account, user: { id: account.providerAccountId } });
}

async function sessionUserId(options: NextAuthOptions, token: JWT): Promise<string | undefined> {
  const session = (await options.callbacks!.session!({ session: { user: { name: "x" }, expires: "" }, token } as never)) as Session;
  return session.user?.id;
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("sessions name the provider that made them", () => {
  it("a development sign-in's session is signed out as soon as AUTH_DEV_LOGIN is off", async () => {
    const withDev = await optionsWith({ AUTH_DEV_LOGIN: "true", ...OIDC });
    const token = await signIn(withDev, { provider: "dev", providerAccountId: "alice", type: "credentials" });
    expect(token).toMatchObject({ provider: "dev" });
    const id = await sessionUserId(withDev, token);
    expect(id).toMatch(/^[0-9a-f]{28}$/);

    const withoutDev = await optionsWith({ AUTH_DEV_LOGIN: "false", ...OIDC });
    expect(await sessionUserId(withoutDev, token)).toBeUndefined();
    const stale = (await withoutDev.callbacks!.session!({ session: { user: { name: "alice" }, expires: "" }, token } as never)) as Session;
    expect(stale.user).toBeUndefined(); // not even the name of who it was

  });

  it("an OIDC session lasts while its issuer is configured, not once another issuer replaces it, whose same sub is another user", async () => {
    const atA = await optionsWith(OIDC);
    const tokenA = await signIn(atA, { provider: "oidc", providerAccountId: "alice", type: "oauth" });
    expect(await sessionUserId(atA, tokenA)).toBe(tokenA.uid);

    const atB = await optionsWith({ ...OIDC, AUTH_OIDC_ISSUER: "https://other-sso.example.com" });
    expect(await sessionUserId(atB, tokenA)).toBeUndefined();
    const tokenB = await signIn(atB, { provider: "oidc", providerAccountId: "alice", type: "oauth" });
    expect(tokenB.uid).toMatch(/^[0-9a-f]{28}$/);
    expect(tokenB.uid).not.toBe(tokenA.uid);
  });

  it("a session is signed out 30 days after its sign-in, however often next-auth re-issued its token", async () => {
    const options = await optionsWith(OIDC);
    const token = await signIn(options, { provider: "oidc", providerAccountId: "alice", type: "oauth" });
    const day = 24 * 60 * 60 * 1000;
    expect(await sessionUserId(options, { ...token, sat: Date.now() - 29 * day, exp: Math.floor(Date.now() / 1000) + 30 * 86_400 })).toBe(token.uid);
    expect(await sessionUserId(options, { ...token, sat: Date.now() - 30 * day - 1, exp: Math.floor(Date.now() / 1000) + 30 * 86_400 })).toBeUndefined();
  });

  it("a token from before sessions named their provider counts as signed out", async () => {
    const options = await optionsWith({ AUTH_DEV_LOGIN: "true" });
    expect(await sessionUserId(options, { uid: "0123456789abcdef0123456789ab" })).toBeUndefined();
  });
});
