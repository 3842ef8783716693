import "server-only";

import type { NextAuthOptions } from "next-auth";

import { rememberDisplayName } from "@/lib/avatars/profile";
import { getEnv } from "@/lib/env";
import { errorFields, log } from "@/lib/log";

import { providersFor, summarize, type ProviderSummary } from "./providers";
import { safeRedirectPath } from "./redirect";
import { userIdFor } from "./user-id";

export { DEV_PROVIDER_ID, OIDC_PROVIDER_ID, type ProviderSummary } from "./providers";

/** The sign-in methods switched on by configuration (OIDC, GitHub, Google when set; dev sign-in per AUTH_DEV_LOGIN). */
export function enabledProviders(): ProviderSummary[] {
  return summarize(getAuthOptions().providers);
}

let cached: NextAuthOptions | undefined;

/**
 * next-auth with JWT sessions: any instance that knows AUTH_SECRET verifies any session; no
 * session store. Cookies are Secure with __Secure-/__Host- names whenever the app's origin is https
 * (next-auth's useSecureCookies default; lib/http/app-origin.ts derives that origin as next-auth does). Errors of the OAuth flow (a tampered state, a replayed
 * code, the provider unreachable) come back to the sign-in page, which says what happened.
 */
export function getAuthOptions(): NextAuthOptions {
  if (cached) return cached;
  const env = getEnv();
  cached = {
    secret: env.AUTH_SECRET,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: providersFor(env),
    callbacks: {
      jwt({ token, account }) {
        if (account) token.uid = userIdFor(env.AUTH_USER_ID_KEY, account.provider, account.providerAccountId);
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
      // baseUrl is next-auth's own origin for this request: what appOrigin() computes (app-origin.test.ts).
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeRedirectPath(url, baseUrl)}`;
      },
    },
    events: {
      // The default avatar's initials (lib/avatars/profile.ts). A sign-in does not fail because S3
      // did not take them: the default is the identicon until the next sign-in.
      async signIn({ user, account }) {
        if (!account) return;
        const userId = userIdFor(env.AUTH_USER_ID_KEY, account.provider, account.providerAccountId);
        await rememberDisplayName(userId, user.name ?? user.email).catch((error: unknown) =>
          log("warn", "the display name's initials were not stored; the default avatar is the identicon", { ...errorFields(error) }),
        );
      },
    },
  };
  return cached;
}
