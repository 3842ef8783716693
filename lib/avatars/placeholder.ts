import { thumbHashToDataURL } from "thumbhash";

/**
 * The placeholder a page paints where an avatar will appear, until the picture has loaded: a
 * ThumbHash (about 25 bytes, base64) computed once at crop time, kept in the history record and the
 * current pointer, and sent with every avatar in the API. Pure, so server components, client
 * components and tests all draw it the same way.
 */

/** Base64 of a ThumbHash: 5 to about 25 bytes; the bound keeps a bad record from bloating a page. */
export const THUMB_HASH_PATTERN = /^[A-Za-z0-9+/]{6,48}={0,2}$/;

/** A small PNG data URL (32 px on the long side) that looks like the avatar, or undefined for a missing or broken hash. */
export function placeholderUrl(thumbHash: string | undefined): string | undefined {
  if (!thumbHash || !THUMB_HASH_PATTERN.test(thumbHash)) return undefined;
  try {
    return thumbHashToDataURL(Uint8Array.from(atob(thumbHash), (char) => char.charCodeAt(0)));
  } catch {
    return undefined; // a hash the decoder cannot read: no placeholder rather than no page
  }
}

/**
 * Inline style for an avatar `<img>`: the placeholder as its background, which the picture covers
 * once it has loaded (and which stays, rather than a broken-image icon, if it never does).
 */
export function placeholderStyle(thumbHash: string | undefined): { backgroundImage: string; backgroundSize: string } | undefined {
  const url = placeholderUrl(thumbHash);
  return url ? { backgroundImage: `url("${url}")`, backgroundSize: "cover" } : undefined;
}
