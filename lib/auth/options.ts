import "server-only";

import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";

import { getEnv } from "@/lib/env";

import { normalizeDevIdentity, userIdFor } from "./user-id";

export const DEV_PROVIDER_ID = "dev";

export type ProviderSummary = { id: string; name: string };

/** Providers switched on by configuration: GitHub/Google when their keys are set; dev sign-in per AUTH_DEV_LOGIN. */
export function enabledProviders(): ProviderSummary[] {
  const env = getEnv();
  return [
    ...(env.AUTH_GITHUB_ID ? [{ id: "github", name: "GitHub" }] : []),
    ...(env.AUTH_GOOGLE_ID ? [{ id: "google", name: "Google" }] : []),
    ...(env.AUTH_DEV_LOGIN ? [{ id: DEV_PROVIDER_ID, name: "Development sign-in" }] : []),
  ];
}

let cached: NextAuthOptions | undefined;

/** next-auth with JWT sessions: any instance that knows AUTH_SECRET verifies any session; no session store. */
export function getAuthOptions(): NextAuthOptions {
  if (cached) return cached;
  const env = getEnv();
  const providers: NextAuthOptions["providers"] = [];
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
  cached = {
    secret: env.AUTH_SECRET,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin" },
    providers,
    callbacks: {
      jwt({ token, account }) {
        if (account) token.uid = userIdFor(account.provider, account.providerAccountId);
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  };
  return cached;
}
