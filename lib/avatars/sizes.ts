import { RENDITION_SIZES, type RenditionSize } from "@/lib/storage/keys";

/**
 * The sizes the stable URL `/avatars/<user id>/<size>` takes (pure). Any integer from 16 to 512,
 * written the one canonical way (no sign, no leading zero, no spaces, no decimals, no hex): one
 * size has one URL, so a CDN keeps one copy of it and `064` cannot be used to bust a cache.
 */
export const MIN_AVATAR_SIZE = 16;
export const MAX_AVATAR_SIZE = 512;

const CANONICAL_INTEGER = /^[1-9][0-9]{0,2}$/;

/** The size a path segment names, or undefined when it is not a canonical integer in range. */
export function parseAvatarSize(raw: string): number | undefined {
  if (!CANONICAL_INTEGER.test(raw)) return undefined;
  const size = Number(raw);
  return size >= MIN_AVATAR_SIZE && size <= MAX_AVATAR_SIZE ? size : undefined;
}

/** The smallest stored rendition at least `size` pixels wide (a browser scales it down, never up). */
export function renditionAtLeast(size: number): RenditionSize {
  const ascending = [...RENDITION_SIZES].sort((a, b) => a - b);
  return ascending.find((rendition) => rendition >= size) ?? ascending[ascending.length - 1]!;
}

/** `srcset` for an image shown at `cssSize` pixels: 1× and 2× of the stable URL. */
export function stableAvatarSrcSet(userId: string, cssSize: number): string {
  return [1, 2].map((density) => `/avatars/${userId}/${Math.min(cssSize * density, MAX_AVATAR_SIZE)} ${density}x`).join(", ");
}

/** `srcset` over one avatar's renditions for an image shown at `cssSize` pixels: 1× and 2×. */
export function renditionSrcSet(urls: Record<RenditionSize, string>, cssSize: number): string {
  return [1, 2].map((density) => `${urls[renditionAtLeast(cssSize * density)]} ${density}x`).join(", ");
}
