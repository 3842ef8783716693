import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user?: DefaultSession["user"] & { id?: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** The provider and issuer that vouched for uid (lib/auth/session-token.ts). */
    provider?: string;
    issuer?: string;
  }
}
