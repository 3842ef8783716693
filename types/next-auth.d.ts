import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user?: DefaultSession["user"] & { id?: string };
    /** Which sign-in made this session (lib/auth/session-token.ts): for ending the user's other sessions. */
    signedIn?: { sid?: string; at?: number };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** The provider and issuer that vouched for uid (lib/auth/session-token.ts). */
    provider?: string;
    issuer?: string;
    /** This session's own random id and sign-in time (ms), kept through every refresh. */
    sid?: string;
    sat?: number;
  }
}
