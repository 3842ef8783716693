import "server-only";

import type { Provider } from "next-auth/providers/index";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";

import type { Env } from "@/lib/env";

import { normalizeDevIdentity } from "./user-id";

export const DEV_PROVIDER_ID = "dev";
export const OIDC_PROVIDER_ID = "oidc";

export type ProviderSummary = { id: string; name: string };

/** GitHub and Google each have one issuer; the development sign-in vouches only for this deployment. */
const FIXED_ISSUERS = { github: "https://github.com", google: "https://accounts.google.com", [DEV_PROVIDER_ID]: "urn:avatar-relay:development-sign-in" } as const;

const normalizeIssuer = (issuer: string) => issuer.replace(/\/+$/, "");

type OidcProfile = { sub: string; name?: string; preferred_username?: string; email?: string };

/**
 * Any OpenID Connect provider by its issuer (Keycloak, Authentik, Okta, Entra ID, Auth0, Zitadel,
 * Dex): discovery from the issuer's well-known document, the authorization code flow with PKCE,
 * state and nonce, and the ID token verified against the issuer's keys. The account is the ID
 * token's `sub`; when the ID token carries no name or e-mail (Okta, and any provider that keeps
 * them for the userinfo endpoint in the code flow), they are read from userinfo, whose `sub` the
 * client checks against the ID token's.
 */
export function oidcProvider(options: { issuer: string; clientId: string; clientSecret: string; name: string }): OAuthConfig<OidcProfile> {
  const issuer = normalizeIssuer(options.issuer);
  return {
    id: OIDC_PROVIDER_ID,
    name: options.name,
    type: "oauth",
    issuer,
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    authorization: { params: { scope: "openid profile email" } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    userinfo: {
      async request({ client, tokens }) {
        // next-auth types these as plain parameters; at run time they are openid-client's TokenSet.
        const verified = tokens as unknown as { claims(): OidcProfile; access_token?: string };
        const claims = verified.claims();
        if ((claims.name || claims.preferred_username) && claims.email) return claims;
        if (!verified.access_token || !client.issuer.metadata.userinfo_endpoint) return claims;
        const userinfo = (await client.userinfo(verified as Parameters<typeof client.userinfo>[0])) as Partial<OidcProfile>;
        return { ...userinfo, ...claims, name: claims.name ?? userinfo.name, email: claims.email ?? userinfo.email, sub: claims.sub };
      },
    },
    profile(profile) {
      return { id: profile.sub, name: profile.name ?? profile.preferred_username ?? profile.email ?? null, email: profile.email ?? null };
    },
  };
}

/** The sign-in methods this configuration switches on, in the order the sign-in page shows them. */
export function providersFor(env: Env): Provider[] {
  const providers: Provider[] = [];
  if (env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_ID && env.AUTH_OIDC_SECRET) {
    providers.push(oidcProvider({ issuer: env.AUTH_OIDC_ISSUER, clientId: env.AUTH_OIDC_ID, clientSecret: env.AUTH_OIDC_SECRET, name: env.AUTH_OIDC_NAME }));
  }
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET }));
  }
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) {
    providers.push(GoogleProvider({ clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET }));
  }
  if (env.AUTH_DEV_LOGIN) {
    providers.push(
      CredentialsProvider({
        id: DEV_PROVIDER_ID,
        name: "Development sign-in",
        credentials: { name: { label: "Name or e-mail", type: "text" } },
        authorize(credentials) {
          const identity = normalizeDevIdentity(credentials?.name);
          if (!identity) return null;
          return { id: identity, name: identity, email: identity.includes("@") ? identity : null };
        },
      }),
    );
  }
  return providers;
}

/**
 * The issuer of each provider this configuration switches on, by provider id: what user ids are
 * bound to (lib/auth/user-id.ts) and what a session must still name to count (lib/auth/session-token.ts).
 * For OIDC, the configured issuer: openid-client checks every ID token's `iss` against it.
 */
export function issuersFor(env: Env): ReadonlyMap<string, string> {
  const issuers = new Map<string, string>();
  if (env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_ID && env.AUTH_OIDC_SECRET) issuers.set(OIDC_PROVIDER_ID, normalizeIssuer(env.AUTH_OIDC_ISSUER));
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) issuers.set("github", FIXED_ISSUERS.github);
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) issuers.set("google", FIXED_ISSUERS.google);
  if (env.AUTH_DEV_LOGIN) issuers.set(DEV_PROVIDER_ID, FIXED_ISSUERS[DEV_PROVIDER_ID]);
  return issuers;
}

/** Id and label as next-auth will use them: options given to a built-in provider override its defaults. */
export function summarize(providers: Provider[]): ProviderSummary[] {
  return providers.map((provider) => {
    const options = (provider as { options?: { id?: string; name?: string } }).options;
    return { id: options?.id ?? provider.id, name: options?.name ?? provider.name };
  });
}
