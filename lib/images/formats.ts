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

/** Largest side of the preview the crop step shows instead of the original. */
export const PREVIEW_MAX_SIDE = 1600;

/** The preview's size for a picture displayed at `displayed`: sharp's "inside" fit, never enlarged (the same rounding). */
export function previewSizeOf(displayed: { width: number; height: number }): { width: number; height: number } {
  const scale = Math.min(1, PREVIEW_MAX_SIDE / Math.max(displayed.width, displayed.height));
  if (scale === 1) return { width: displayed.width, height: displayed.height };
  return displayed.width >= displayed.height
    ? { width: PREVIEW_MAX_SIDE, height: Math.max(1, Math.round(displayed.height * scale)) }
    : { width: Math.max(1, Math.round(displayed.width * scale)), height: PREVIEW_MAX_SIDE };
}
/** Side of the cropped square; renditions are made from it. */
export const CROP_OUTPUT_SIDE = 512;
/** Most the crop step lets the user zoom in: a crop then covers 1/3 of the picture's short side. */
export const CROP_MAX_ZOOM = 3;
