import "server-only";

import sharp from "sharp";
import { rgbaToThumbHash } from "thumbhash";

/** ThumbHash encodes pictures of at most 100 × 100 pixels. */
const THUMB_HASH_MAX_SIDE = 100;

/**
 * The ThumbHash (base64) of a rendition, for the placeholder pages paint until it loads
 * (lib/avatars/placeholder.ts). Computed from the smallest rendition, so it costs a 64 px decode.
 */
export async function thumbHashOf(picture: Buffer): Promise<string> {
  const { data, info } = await sharp(picture)
    .resize(THUMB_HASH_MAX_SIDE, THUMB_HASH_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString("base64");
}
