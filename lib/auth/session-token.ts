import type { Identity } from "./user-id";

/** What a session token carries about its user (next-auth's JWT, see types/next-auth.d.ts). */
export type SessionClaims = { uid?: unknown; provider?: unknown; issuer?: unknown };

/** The claims the sign-in writes into the session token: the user id and who vouched for it. */
export function sessionClaimsFor(uid: string, identity: Identity): { uid: string; provider: string; issuer: string } {
  return { uid, provider: identity.provider, issuer: identity.issuer };
}

/**
 * The user id of a session, or undefined when it no longer counts (pure): its provider must still
 * be switched on with the same issuer. A session made by the development sign-in, or by an issuer
 * since replaced, is then signed out at once instead of living out its 30 days; so is a token
 * without a provider (made before sessions named one).
 */
export function sessionUserId(claims: SessionClaims, issuers: ReadonlyMap<string, string>): string | undefined {
  if (typeof claims.uid !== "string" || typeof claims.provider !== "string" || typeof claims.issuer !== "string") return undefined;
  return issuers.get(claims.provider) === claims.issuer ? claims.uid : undefined;
}
