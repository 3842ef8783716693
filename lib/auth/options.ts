import "server-only";

import { randomBytes } from "node:crypto";

import type { NextAuthOptions } from "next-auth";

import { getEnv } from "@/lib/env";
import { errorFields, log } from "@/lib/log";

import { issuersFor, providersFor, summarize, type ProviderSummary } from "./providers";
import { safeRedirectPath } from "./redirect";
import { SESSION_MAX_AGE_MS, sessionClaimsFor, sessionUserId, signedInOf } from "./session-token";
import { userIdFor, type Identity } from "./user-id";

export { DEV_PROVIDER_ID, OIDC_PROVIDER_ID, type ProviderSummary } from "./providers";

/** The sign-in methods switched on by configuration (OIDC, GitHub, Google when set; dev sign-in per AUTH_DEV_LOGIN). */
export function enabledProviders(): ProviderSummary[] {
  return summarize(getAuthOptions().providers);
}

/** What the app does at each sign-in, given the user's id and display name (the route handler passes it in). */
export type SignInListener = (userId: string, displayName: string | null | undefined) => Promise<void>;

type Account = { provider: string; providerAccountId: string };

let cached: { options: NextAuthOptions; userIdOf: (account: Account) => string } | undefined;

/**
 * next-auth with JWT sessions: any instance that knows AUTH_SECRET verifies any session; no
 * session store. Cookies are Secure with __Secure-/__Host- names whenever the app's origin is https
 * (next-auth's useSecureCookies default; lib/http/app-origin.ts derives that origin as next-auth does). Errors of the OAuth flow (a tampered state, a replayed
 * code, the provider unreachable) come back to the sign-in page, which says what happened.
 */
export function getAuthOptions(onSignIn?: SignInListener): NextAuthOptions {
  const { options, userIdOf } = (cached ??= buildOptions());
  if (!onSignIn) return options;
  return {
    ...options,
    events: {
      // A sign-in does not fail because its listener did: the app's (the default avatar's initials,
      // lib/avatars/profile.ts) is best effort, and the identicon is drawn until the next sign-in.
      async signIn({ user, account }) {
        if (!account) return;
        await onSignIn(userIdOf(account), user.name ?? user.email).catch((error: unknown) =>
          log("warn", "the sign-in listener failed (the default avatar's initials were not stored); the sign-in goes on", { ...errorFields(error) }),
        );
      },
    },
  };
}

function buildOptions(): { options: NextAuthOptions; userIdOf: (account: Account) => string } {
  const env = getEnv();
  const issuers = issuersFor(env);
  const identityOf = (account: Account): Identity => {
    const issuer = issuers.get(account.provider);
    if (!issuer) throw new Error(`a sign-in through "${account.provider}", which this configuration does not switch on`);
    return { provider: account.provider, issuer, subject: account.providerAccountId };
  };
  const options: NextAuthOptions = {
    secret: env.AUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_MS / 1000 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: providersFor(env),
    callbacks: {
      jwt({ token, account }) {
        if (!account) return token;
        const identity = identityOf(account);
        const signedIn = { sid: randomBytes(16).toString("base64url"), at: Date.now() };
        return { ...token, ...sessionClaimsFor(userIdFor(env.AUTH_USER_ID_KEY, identity), identity, signedIn) };
      },
      // A session whose provider was switched off since, or signed in SESSION_MAX_AGE_MS ago, names nobody: currentUser() sees no user.
      session({ session, token }) {
        const id = sessionUserId(token, issuers);
        return id ? { ...session, user: { ...session.user, id }, signedIn: signedInOf(token) } : { expires: session.expires };
      },
      // baseUrl is next-auth's own origin for this request: what appOrigin() computes (app-origin.test.ts).
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeRedirectPath(url, baseUrl)}`;
      },
    },
  };
  return { options, userIdOf: (account) => userIdFor(env.AUTH_USER_ID_KEY, identityOf(account)) };
}
