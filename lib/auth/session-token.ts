import type { Identity } from "./user-id";

/** What a session token carries about its user (next-auth's JWT, see types/next-auth.d.ts). */
export type SessionClaims = { uid?: unknown; provider?: unknown; issuer?: unknown; sid?: unknown; sat?: unknown };

/** Which sign-in a session came from: its own random id and when it was made (ms). */
export type SignedIn = { sid?: string; at?: number };

/** The claims the sign-in writes into the session token: the user id, who vouched for it, and the sign-in itself. */
export function sessionClaimsFor(uid: string, identity: Identity, signedIn: Required<SignedIn>) {
  return { uid, provider: identity.provider, issuer: identity.issuer, sid: signedIn.sid, sat: signedIn.at };
}

/**
 * How long a session lasts from its sign-in, however often it is used: next-auth re-issues the
 * token with a fresh expiry on every session read, so its own maxAge alone would let a token used
 * once a month live for ever. The bound is what lets a sessions-ended record expire (the bucket's
 * lifecycle rule on sessions/, tools/bucket/bucket-config.ts): after it, every session it ended is over anyway.
 */
export const SESSION_MAX_AGE_DAYS = 30;
export const SESSION_MAX_AGE_MS = SESSION_MAX_AGE_DAYS * 24 * 60 * 60 * 1000;

/**
 * The user id of a session, or undefined when it no longer counts (pure): its provider must still
 * be switched on with the same issuer, and its sign-in less than SESSION_MAX_AGE_MS ago. A session
 * made by the development sign-in, or by an issuer since replaced, is then signed out at once
 * instead of living out its 30 days; so is a token without a provider or a sign-in time (made
 * before sessions named them).
 */
export function sessionUserId(claims: SessionClaims, issuers: ReadonlyMap<string, string>, now = Date.now()): string | undefined {
  if (typeof claims.uid !== "string" || typeof claims.provider !== "string" || typeof claims.issuer !== "string") return undefined;
  if (typeof claims.sat !== "number" || !(now - claims.sat < SESSION_MAX_AGE_MS)) return undefined;
  return issuers.get(claims.provider) === claims.issuer ? claims.uid : undefined;
}

export function signedInOf(claims: SessionClaims): SignedIn {
  return { sid: typeof claims.sid === "string" ? claims.sid : undefined, at: typeof claims.sat === "number" ? claims.sat : undefined };
}

/** What "Delete my data" recorded: sessions signed in before `endedAt` are over, except the one that asked (`kept`). */
export type SessionsEnded = { version: 1; endedAt: number; kept?: string };

/** Whether a session was ended (pure). A token without a sign-in time counts as older than any end. */
export function sessionWasEnded(signedIn: SignedIn, ended: SessionsEnded | null): boolean {
  if (!ended) return false;
  if (signedIn.sid !== undefined && signedIn.sid === ended.kept) return false;
  return (signedIn.at ?? 0) < ended.endedAt;
}

/** Whether a request carries next-auth's session cookie (either prefix, or chunked): the rest have no session to read. */
export function hasSessionCookie(cookieNames: Iterable<string>): boolean {
  for (const name of cookieNames) if (/^(__Secure-)?next-auth\.session-token(\.\d+)?$/.test(name)) return true;
  return false;
}
