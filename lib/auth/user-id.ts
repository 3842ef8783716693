import { createHash } from "node:crypto";

/**
 * A user's id is a hash of the identity provider and the provider's account id: stable across
 * sign-ins and instances (no database needed), safe as an S3 key segment, and it reveals neither
 * the provider account nor the e-mail address.
 */
export function userIdFor(provider: string, providerAccountId: string): string {
  return createHash("sha256").update(`${provider}\u0000${providerAccountId}`).digest("hex").slice(0, 24);
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
