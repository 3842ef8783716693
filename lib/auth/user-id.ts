import { createHmac, timingSafeEqual } from "node:crypto";

import { USER_ID_PATTERN } from "@/lib/storage/keys";

/** Who vouches for an account: the provider's id here, its issuer, and its account id (an OIDC `sub`). */
export type Identity = { provider: string; issuer: string; subject: string };

/** Hex digits of a user id that name the account, then those of its tag (USER_ID_PATTERN: both). */
const ACCOUNT_HEX = 20;
const TAG_HEX = 8;

/**
 * A user's id: an HMAC of the identity provider, its issuer and the issuer's account id, keyed with
 * the deployment's AUTH_USER_ID_KEY (80 bits), then a tag (32 bits) that lets any instance tell an
 * id it issued from a made-up one without asking S3 (isIssuedUserId). The issuer is in it because a
 * `sub` is unique only at its issuer: the same `sub` from another issuer is another person. Stable
 * across sign-ins and instances (no database needed), safe as an S3 key segment, and it reveals
 * neither the provider account nor the e-mail address. The key makes ids impossible to compute from
 * a public account id (a GitHub user's numeric id) and different in every deployment. It is separate
 * from AUTH_SECRET so that secret can be rotated (which only signs everyone out); changing the key
 * would orphan every user's data.
 */
export function userIdFor(key: string, identity: Identity): string {
  // NUL cannot occur in a provider id or an issuer URL, so the fields cannot run into each other.
  const account = createHmac("sha256", key).update(`${identity.provider}\u0000${identity.issuer}\u0000${identity.subject}`).digest("hex").slice(0, ACCOUNT_HEX);
  return `${account}${tagOf(key, account)}`;
}

/**
 * Whether this deployment issued the id: its pattern, and its tag recomputed (one HMAC of 20
 * characters, about a microsecond). The public stable URL refuses any other id before it costs S3
 * a call or the CPU a drawing; guessing a tag takes 2^31 tries on average.
 */
export function isIssuedUserId(key: string, id: string): boolean {
  if (!USER_ID_PATTERN.test(id)) return false;
  const expected = Buffer.from(tagOf(key, id.slice(0, ACCOUNT_HEX)));
  return timingSafeEqual(Buffer.from(id.slice(ACCOUNT_HEX)), expected);
}

// Its own key, derived from AUTH_USER_ID_KEY, so a tag is never an account digest of the same key.
let tagKey: { of: string; key: Buffer } | undefined;
function tagOf(key: string, account: string): string {
  if (tagKey?.of !== key) tagKey = { of: key, key: createHmac("sha256", key).update("avatar-relay user id tag v1").digest() };
  return createHmac("sha256", tagKey.key).update(account).digest("hex").slice(0, TAG_HEX);
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
