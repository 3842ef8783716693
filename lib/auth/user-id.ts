import { createHmac } from "node:crypto";

/** Who vouches for an account: the provider's id here, its issuer, and its account id (an OIDC `sub`). */
export type Identity = { provider: string; issuer: string; subject: string };

/**
 * A user's id: an HMAC of the identity provider, its issuer and the issuer's account id, keyed with
 * the deployment's AUTH_USER_ID_KEY. The issuer is in it because a `sub` is unique only at its
 * issuer: the same `sub` from another issuer is another person. Stable across sign-ins and instances (no database needed), safe
 * as an S3 key segment, and it reveals neither the provider account nor the e-mail address. The
 * key makes ids impossible to compute from a public account id (a GitHub user's numeric id) and
 * different in every deployment. It is separate from AUTH_SECRET so that secret can be rotated
 * (which only signs everyone out); changing the key would orphan every user's data.
 */
export function userIdFor(key: string, identity: Identity): string {
  // NUL cannot occur in a provider id or an issuer URL, so the fields cannot run into each other.
  return createHmac("sha256", key).update(`${identity.provider}\u0000${identity.issuer}\u0000${identity.subject}`).digest("hex").slice(0, 24);
}

/** The development sign-in's identity: a name or e-mail, compared case-insensitively. */
export function normalizeDevIdentity(input: unknown): string | undefined {
  if (typeof input !== "string") return undefined;
  const value = input.normalize("NFKC").trim().toLowerCase();
  if (value.length < 1 || value.length > 64) return undefined;
  // Printable characters only: this becomes a display name.
  if (!/^[\p{L}\p{N}@._+\- ]+$/u.test(value)) return undefined;
  return value;
}
