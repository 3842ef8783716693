import { z } from "zod";

import type { Rect, Size } from "@/lib/images/crop-geometry";

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
  /** The square the crop step opens on, in displayed pixels; absent on uploads checked before it existed. */
  suggested?: Rect;
};

const META = { width: "displayed-width", height: "displayed-height", format: "format", bytes: "original-bytes", pw: "preview-width", ph: "preview-height", suggested: "suggested-crop" };

/** "left,top,side": a dozen bytes of the 2 KB S3 allows for all user metadata. */
const suggestedSchema = z
  .string()
  .regex(/^\d{1,6},\d{1,6},\d{1,6}$/)
  .transform((value) => value.split(",").map(Number) as [number, number, number])
  .refine(([, , side]) => side > 0);

/** The stored suggestion, or none when it is missing, malformed or does not fit the picture (then the crop step starts at the centre). */
function suggestedFrom(value: string | undefined, displayed: Size): Rect | undefined {
  const parsed = suggestedSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const [left, top, side] = parsed.data;
  if (left + side > displayed.width || top + side > displayed.height) return undefined;
  return { left, top, width: side, height: side };
}

export function toPreviewMetadata(facts: UploadFacts): Record<string, string> {
  return {
    [META.width]: String(facts.displayed.width),
    [META.height]: String(facts.displayed.height),
    [META.format]: facts.format,
    [META.bytes]: String(facts.bytes),
    [META.pw]: String(facts.preview.width),
    [META.ph]: String(facts.preview.height),
    ...(facts.suggested && { [META.suggested]: `${facts.suggested.left},${facts.suggested.top},${facts.suggested.width}` }),
  };
}

/** All the crop step needs: the space its coordinates are in. */
export const displayedSizeFrom = (m: Record<string, string>): Size => ({ width: Number(m[META.width]), height: Number(m[META.height]) });

export function factsFromPreviewMetadata(m: Record<string, string>): UploadFacts {
  const displayed = displayedSizeFrom(m);
  const suggested = suggestedFrom(m[META.suggested], displayed);
  return {
    displayed,
    format: m[META.format] ?? "unknown",
    bytes: Number(m[META.bytes]),
    preview: { width: Number(m[META.pw]), height: Number(m[META.ph]) },
    ...(suggested && { suggested }),
  };
}
