import "server-only";

import { cropKey, RENDITION_SIZES } from "@/lib/storage/keys";
import { headObject } from "@/lib/storage/objects";

import { THUMB_HASH_PATTERN } from "./placeholder";

/**
 * Where a crop keeps its placeholder between step 2 and step 3: as S3 metadata of its smallest
 * rendition (the picture it was computed from), so the save reads it with one HEAD and writes it
 * into the history record and the current pointer.
 */
export const PLACEHOLDER_SOURCE_SIZE = Math.min(...RENDITION_SIZES) as (typeof RENDITION_SIZES)[number];
export const THUMB_HASH_METADATA = "thumbhash";

/** The crop's ThumbHash, or undefined for a crop made before placeholders existed (or gone). */
export async function readCropThumbHash(userId: string, uploadId: string, cropId: string): Promise<string | undefined> {
  const value = (await headObject(cropKey(userId, uploadId, cropId, PLACEHOLDER_SOURCE_SIZE)))?.metadata[THUMB_HASH_METADATA];
  return value && THUMB_HASH_PATTERN.test(value) ? value : undefined;
}
