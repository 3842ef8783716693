import "server-only";

import { createHash } from "node:crypto";

import { DEFAULT_AVATAR_VERSION, defaultAvatarDesign } from "@/lib/images/default-avatar";
import { renderDefaultAvatar } from "@/lib/images/render-default";
import { withStableLookupSlot } from "@/lib/limits/stable-limiter";

import { readCurrent } from "./current-avatar";
import { renditionUrl } from "./image-urls";
import { readProfile } from "./profile";
import { renditionAtLeast } from "./sizes";
import { rememberDrawing, rememberedDrawing, rememberedLookup, rememberLookup, type StableLookup } from "./stable-lookups";

/**
 * What `/avatars/<user id>/<size>` answers: a redirect to the smallest current rendition at least
 * that size, or, for a user with no avatar, the generated default drawn at exactly that size (or
 * nothing, when the page asked for `d=404`).
 *
 * Each answer has an ETag that changes when the answer would: the redirect's is a digest of its
 * Location (a new current avatar, and also a new signing window of a presigned URL, so a browser
 * never revalidates its way back to an expired signature); the default's is a digest of what it
 * is drawn from (drawing version, user, size, initials). A client that already holds it (`clientHas`,
 * the route's If-None-Match check) gets `notModified` and no picture is drawn.
 *
 * What S3 said about a user is remembered a few seconds (lib/avatars/stable-lookups.ts), and
 * drawn defaults too, except for the user themself (`fresh`): whoever saved an avatar sees it at
 * its stable URL at once on every instance, not only on the one that saved it. What is not
 * remembered is read and drawn within the stable URL's own bound (lib/limits/stable-limiter.ts):
 * past it 503 + Retry-After.
 */
export type StableAvatar =
  | { kind: "none" }
  | { kind: "redirect"; etag: string; notModified: boolean; location: string }
  | { kind: "default"; etag: string; notModified: true }
  | { kind: "default"; etag: string; notModified: false; body: Buffer };

type StableOptions = { fallback: "default" | "none"; clientHas?: (etag: string) => boolean; fresh?: boolean };

const digest = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 22);

export async function stableAvatar(userId: string, size: number, options: StableOptions): Promise<StableAvatar> {
  const remembered = options.fresh ? undefined : rememberedLookup(userId);
  if (remembered) return answer(userId, size, remembered, options, withStableLookupSlot);
  return withStableLookupSlot(async () => {
    const lookup = await lookUp(userId);
    rememberLookup(userId, lookup);
    // Already in a slot: the drawing runs in it (taking a second could wait on itself).
    return answer(userId, size, lookup, options, (draw) => draw());
  });
}

async function lookUp(userId: string): Promise<StableLookup> {
  const current = await readCurrent(userId);
  if (current) return { current };
  return { current: null, initials: (await readProfile(userId))?.initials };
}

type InSlot = <T>(job: () => Promise<T>) => Promise<T>;

async function answer(userId: string, size: number, lookup: StableLookup, options: StableOptions, inSlot: InSlot): Promise<StableAvatar> {
  if (lookup.current) {
    const location = await renditionUrl(userId, lookup.current.avatarId, renditionAtLeast(size));
    const etag = `"r-${digest(location)}"`;
    return { kind: "redirect", etag, location, notModified: options.clientHas?.(etag) ?? false };
  }
  if (options.fallback === "none") return { kind: "none" };
  const { initials } = lookup;
  const etag = `"d${DEFAULT_AVATAR_VERSION}-${digest(`${userId}/${size}/${initials ?? ""}`)}"`;
  if (options.clientHas?.(etag)) return { kind: "default", etag, notModified: true };
  const body = rememberedDrawing(etag) ?? (await inSlot(() => renderDefaultAvatar(defaultAvatarDesign(userId, initials), size)));
  rememberDrawing(etag, body);
  return { kind: "default", etag, notModified: false, body };
}
