import { describe, expect, it } from "vitest";

import { parseEnv } from "@/lib/env";
import { PRODUCTION_TEST_ENV } from "@/test/harness/production-env";

import { DEV_PROVIDER_ID, OIDC_PROVIDER_ID, providersFor, summarize } from "./providers";

/**
 * The providers' configuration as next-auth receives it. GitHub and Google cannot be reached from
 * a test; their flow is the same code path as the OIDC tier's real provider (e2e/oidc), so what is
 * pinned here is what differs: endpoints, scopes, checks, and how the account id is read.
 */

const production = PRODUCTION_TEST_ENV;

type Configured = {
  id: string;
  name: string;
  type: string;
  wellKnown?: string;
  issuer?: string;
  authorization?: string | { url?: string; params?: Record<string, string> };
  token?: string | { url?: string };
  idToken?: boolean;
  checks?: string[];
  options?: { clientId?: string; clientSecret?: string };
  clientId?: string;
  clientSecret?: string;
  profile?: (profile: Record<string, unknown>) => { id: string; name?: string | null; email?: string | null };
};

const configured = (env: Record<string, string>) => providersFor(parseEnv({ ...production, ...env })) as unknown as Configured[];

describe("providersFor", () => {
  it("switches on nothing but what is configured (dev sign-in off in production)", () => {
    expect(summarize(providersFor(parseEnv(production)))).toEqual([]);
    expect(summarize(providersFor(parseEnv({ ...production, AUTH_DEV_LOGIN: "true" })))).toEqual([{ id: DEV_PROVIDER_ID, name: "Development sign-in" }]);
  });

  it("GitHub: OAuth app endpoints, the e-mail scope, the numeric account id", () => {
    const [github] = configured({ AUTH_GITHUB_ID: "gh-client", AUTH_GITHUB_SECRET: "gh-secret" });
    expect(github).toMatchObject({ id: "github", name: "GitHub", type: "oauth", token: "https://github.com/login/oauth/access_token" });
    expect(github!.authorization).toEqual({ url: "https://github.com/login/oauth/authorize", params: { scope: "read:user user:email" } });
    expect(github!.options).toMatchObject({ clientId: "gh-client", clientSecret: "gh-secret" });
    expect(github!.profile!({ id: 583231, login: "octocat", name: null, email: "o@example.com" })).toMatchObject({ id: "583231", name: "octocat" });
  });

  it("Google: OpenID discovery, ID token, PKCE and state, the subject as account id", () => {
    const [google] = configured({ AUTH_GOOGLE_ID: "g-client", AUTH_GOOGLE_SECRET: "g-secret" });
    expect(google).toMatchObject({
      id: "google",
      wellKnown: "https://accounts.google.com/.well-known/openid-configuration",
      idToken: true,
      checks: ["pkce", "state"],
    });
    expect(google!.authorization).toEqual({ params: { scope: "openid email profile" } });
    expect(google!.options).toMatchObject({ clientId: "g-client", clientSecret: "g-secret" });
    expect(google!.profile!({ sub: "1098", name: "Ada", email: "ada@example.com" })).toMatchObject({ id: "1098", name: "Ada" });
  });

  it("generic OpenID Connect: discovery from the issuer, PKCE + state + nonce, the label from AUTH_OIDC_NAME", () => {
    const [oidc] = configured({
      AUTH_OIDC_ISSUER: "https://sso.example.com/realms/main/",
      AUTH_OIDC_ID: "avatar-relay",
      AUTH_OIDC_SECRET: "oidc-secret",
      AUTH_OIDC_NAME: "Example SSO",
    });
    expect(oidc).toMatchObject({
      id: OIDC_PROVIDER_ID,
      name: "Example SSO",
      type: "oauth",
      issuer: "https://sso.example.com/realms/main",
      wellKnown: "https://sso.example.com/realms/main/.well-known/openid-configuration",
      clientId: "avatar-relay",
      clientSecret: "oidc-secret",
      idToken: true,
      checks: ["pkce", "state", "nonce"],
    });
    expect(oidc!.profile!({ sub: "u-1", preferred_username: "ada" })).toEqual({ id: "u-1", name: "ada", email: null });
  });

  it("lists every configured method, single sign-on first", () => {
    const all = {
      AUTH_OIDC_ISSUER: "https://sso.example.com",
      AUTH_OIDC_ID: "a",
      AUTH_OIDC_SECRET: "b",
      AUTH_GITHUB_ID: "c",
      AUTH_GITHUB_SECRET: "d",
      AUTH_GOOGLE_ID: "e",
      AUTH_GOOGLE_SECRET: "f",
      AUTH_DEV_LOGIN: "true",
    };
    expect(summarize(providersFor(parseEnv({ ...production, ...all }))).map((p) => p.id)).toEqual([OIDC_PROVIDER_ID, "github", "google", DEV_PROVIDER_ID]);
  });
});
