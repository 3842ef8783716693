/**
 * What pictures are accepted (pure; used by the browser to refuse early and by the server to decide).
 * SVG is deliberately absent: it can carry script. HEIC is absent: sharp's prebuilt libvips cannot decode it.
 */
export const ACCEPTED_MIME_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"] as const;
export type AcceptedMimeType = (typeof ACCEPTED_MIME_TYPES)[number];

/** Formats as sharp names them after sniffing the bytes (the declared type is never trusted). */
export const ACCEPTED_FORMATS = ["jpeg", "png", "webp", "gif", "heif"] as const;

export function isAcceptedMimeType(value: string): value is AcceptedMimeType {
  return (ACCEPTED_MIME_TYPES as readonly string[]).includes(value);
}

// The browser's upload files import these from here; lib/bytes.ts is their home (storage needs them too).
export { describeOverLimit, formatBytes } from "@/lib/bytes";

/** Largest side of the preview the crop step shows instead of the original. */
export const PREVIEW_MAX_SIDE = 1600;
/** Side of the cropped square; renditions are made from it. */
export const CROP_OUTPUT_SIDE = 512;
/** Most the crop step lets the user zoom in: a crop then covers 1/3 of the picture's short side. */
export const CROP_MAX_ZOOM = 3;
