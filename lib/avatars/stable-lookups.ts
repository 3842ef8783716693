import "server-only";

import type { CurrentAvatarRecord } from "./schemas";

/**
 * What the stable URL last read from S3 about a user, kept per instance for LOOKUP_TTL_MS so a
 * flood of requests for the same ids costs S3 nothing. Forgotten at once on this instance when the
 * user saves, selects or deletes (forgetStableLookup), and never used for the owner's own requests;
 * another instance shows the change to others within LOOKUP_TTL_MS, less than the minute browsers already keep the default picture (the route's
 * Cache-Control).
 */
export type StableLookup = { current: CurrentAvatarRecord } | { current: null; initials: string | undefined };

export const LOOKUP_TTL_MS = 15_000;
/** A flood of random ids evicts the oldest entries first: memory stays bounded (about 1 MB). */
const MAX_LOOKUPS = 10_000;

const lookups = new Map<string, { at: number; lookup: StableLookup }>();

export function rememberedLookup(userId: string, now = Date.now()): StableLookup | undefined {
  const entry = lookups.get(userId);
  if (!entry) return undefined;
  if (now - entry.at < LOOKUP_TTL_MS) return entry.lookup;
  lookups.delete(userId);
  return undefined;
}

export function rememberLookup(userId: string, lookup: StableLookup, now = Date.now()): void {
  lookups.delete(userId);
  lookups.set(userId, { at: now, lookup });
  if (lookups.size > MAX_LOOKUPS) lookups.delete(lookups.keys().next().value!);
}

export function forgetStableLookup(userId: string): void {
  lookups.delete(userId);
}

/** Drawn default pictures by ETag (user, size, initials, drawing version): at most 256, a few MB. */
const MAX_DRAWINGS = 256;
const drawings = new Map<string, Buffer>();

export function rememberedDrawing(etag: string): Buffer | undefined {
  const body = drawings.get(etag);
  if (body) {
    drawings.delete(etag);
    drawings.set(etag, body);
  }
  return body;
}

export function rememberDrawing(etag: string, body: Buffer): void {
  drawings.set(etag, body);
  if (drawings.size > MAX_DRAWINGS) drawings.delete(drawings.keys().next().value!);
}
