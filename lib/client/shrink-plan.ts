/**
 * What the browser uploads (pure, shared by the upload step and the shrink worker). An avatar is at
 * most CROP_OUTPUT_SIDE px and the crop step zooms at most CROP_MAX_ZOOM×, so a copy whose short
 * side is their product holds every pixel any allowed crop can use; anything larger is only bytes
 * to send over a phone's uplink. The copy is an untrusted file like any other: the server checks it
 * exactly as it checks an original.
 */
import type { Size } from "@/lib/images/crop-geometry";
import { CROP_MAX_ZOOM, CROP_OUTPUT_SIDE } from "@/lib/images/formats";

/** Short side of the copy the browser makes. */
export const SHRINK_SHORT_SIDE = CROP_OUTPUT_SIDE * CROP_MAX_ZOOM;

/** JPEG quality of the copy (0-1): the lowest that keeps the same avatar (docs/decisions/copy-stays-jpeg.md). */
export const SHRINK_JPEG_QUALITY = 0.97;

/**
 * How much larger than UPLOAD_MAX_BYTES an original may be when the browser will shrink it: the
 * limit applies to what is uploaded, so a 30 MB phone photo whose copy is 1 MB is fine. Beyond this
 * the picker refuses at once (decoding a huge file in a phone's memory is not worth trying).
 */
export const SHRINKABLE_ORIGINAL_FACTOR = 5;

/** The copy's size (short side SHRINK_SHORT_SIDE, same aspect), or null when the picture is already small enough. */
export function shrinkTarget(displayed: Size, shortSide = SHRINK_SHORT_SIDE): Size | null {
  const short = Math.min(displayed.width, displayed.height);
  if (!(short > shortSide)) return null;
  const scale = shortSide / short;
  const fit = (side: number) => (side === short ? shortSide : Math.max(shortSide, Math.round(side * scale)));
  return { width: fit(displayed.width), height: fit(displayed.height) };
}

/** Largest original the picker takes: UPLOAD_MAX_BYTES, or a few times it when the browser shrinks. */
export function pickerMaxBytes(maxBytes: number, clientResize: boolean): number {
  return clientResize ? maxBytes * SHRINKABLE_ORIGINAL_FACTOR : maxBytes;
}

/**
 * Short side of the picture the crop step shows while the copy is made: enough for the cropper's
 * frame at most zooms, and cheap to encode (a few tens of ms). At most: a JPEG's scaled decode may
 * give down to 0.9× it. See docs/decisions/crop-step-before-the-copy.md.
 */
export const SHOWN_SHORT_SIDE = 1024;

/** JPEG quality of that picture: it is only looked at, never uploaded. */
export const SHOWN_JPEG_QUALITY = 0.85;

/** The worker's first answer for a picture it will shrink: what to show while the copy is made. */
export type ShownPicture = { kind: "shown"; blob: Blob; size: Size };

/** What the worker answers: a smaller copy, or why the original goes as it is. */
export type ShrinkOutcome =
  | { kind: "copy"; blob: Blob; size: Size; original: Size }
  | { kind: "small"; size: Size }
  | { kind: "failed"; reason: string };

/** Whether a copy is worth uploading instead of the original: only when it is smaller. */
export function preferCopy(originalBytes: number, copyBytes: number): boolean {
  return copyBytes > 0 && copyBytes < originalBytes;
}

/** The copy's file name: the original's, with the copy's extension (the server sniffs the bytes anyway). */
export function copyFileName(originalName: string, mimeType: string): string {
  const extension = mimeType === "image/webp" ? "webp" : "jpg";
  const base = originalName.replace(/\.[^./\\]*$/, "") || "picture";
  return `${base}.${extension}`;
}
