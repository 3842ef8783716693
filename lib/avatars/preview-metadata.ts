import type { Size } from "@/lib/images/crop-geometry";

/**
 * What the finish step learnt about an upload, kept as its preview's S3 user metadata: any
 * instance reads it back with one HEAD, without downloading or decoding anything. Pure.
 */
export type UploadFacts = {
  /** The original's size as displayed (EXIF orientation applied). */
  displayed: Size;
  format: string;
  /** The original's size in bytes. */
  bytes: number;
  /** The preview's own size. */
  preview: Size;
};

const META = { width: "displayed-width", height: "displayed-height", format: "format", bytes: "original-bytes", pw: "preview-width", ph: "preview-height" };

export function toPreviewMetadata(facts: UploadFacts): Record<string, string> {
  return {
    [META.width]: String(facts.displayed.width),
    [META.height]: String(facts.displayed.height),
    [META.format]: facts.format,
    [META.bytes]: String(facts.bytes),
    [META.pw]: String(facts.preview.width),
    [META.ph]: String(facts.preview.height),
  };
}

/** All the crop step needs: the space its coordinates are in. */
export const displayedSizeFrom = (m: Record<string, string>): Size => ({ width: Number(m[META.width]), height: Number(m[META.height]) });

export function factsFromPreviewMetadata(m: Record<string, string>): UploadFacts {
  return {
    displayed: displayedSizeFrom(m),
    format: m[META.format] ?? "unknown",
    bytes: Number(m[META.bytes]),
    preview: { width: Number(m[META.pw]), height: Number(m[META.ph]) },
  };
}
