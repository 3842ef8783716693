import "server-only";

import { createHash } from "node:crypto";

import { DEFAULT_AVATAR_VERSION, defaultAvatarDesign } from "@/lib/images/default-avatar";
import { renderDefaultAvatar } from "@/lib/images/render-default";
import { ifNoneMatchHits } from "@/lib/http/etag";

import { readCurrent } from "./current-avatar";
import { renditionUrl } from "./image-urls";
import { readProfile } from "./profile";
import { renditionAtLeast } from "./sizes";

/**
 * What `/avatars/<user id>/<size>` answers: a redirect to the smallest current rendition at least
 * that size, or, for a user with no avatar, the generated default drawn at exactly that size (or
 * nothing, when the page asked for `d=404`).
 *
 * Each answer has an ETag that changes when the answer would: the redirect's is a digest of its
 * Location (a new current avatar, and also a new signing window of a presigned URL, so a browser
 * never revalidates its way back to an expired signature); the default's is a digest of what it
 * is drawn from (drawing version, user, size, initials). A client that already holds it gets
 * `notModified` and no picture is drawn.
 */
export type StableAvatar =
  | { kind: "none" }
  | { kind: "redirect"; etag: string; notModified: boolean; location: string }
  | { kind: "default"; etag: string; notModified: true }
  | { kind: "default"; etag: string; notModified: false; body: Buffer };

const digest = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 22);

export async function stableAvatar(userId: string, size: number, options: { fallback: "default" | "none"; ifNoneMatch?: string | null }): Promise<StableAvatar> {
  const current = await readCurrent(userId);
  if (current) {
    const location = await renditionUrl(userId, current.avatarId, renditionAtLeast(size));
    const etag = `"r-${digest(location)}"`;
    return { kind: "redirect", etag, location, notModified: ifNoneMatchHits(options.ifNoneMatch, etag) };
  }
  if (options.fallback === "none") return { kind: "none" };
  const initials = (await readProfile(userId))?.initials;
  const etag = `"d${DEFAULT_AVATAR_VERSION}-${digest(`${userId}/${size}/${initials ?? ""}`)}"`;
  if (ifNoneMatchHits(options.ifNoneMatch, etag)) return { kind: "default", etag, notModified: true };
  return { kind: "default", etag, notModified: false, body: await renderDefaultAvatar(defaultAvatarDesign(userId, initials), size) };
}
