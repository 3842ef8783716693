/** The app's own crop from a test, as one picture (vitest only: the pipeline is a server-only module). */
import type { CropRequest } from "@/lib/images/crop-geometry";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { cropToRenditions, type DecodeLimits, type InspectedImage } from "@/lib/images/pipeline";

/** The crop as one CROP_OUTPUT_SIDE square WebP: the largest rendition, made alone. */
export async function cropImage(bytes: Buffer, image: InspectedImage, crop: CropRequest, limits: DecodeLimits): Promise<Buffer> {
  return (await cropToRenditions(bytes, image, crop, limits, [CROP_OUTPUT_SIDE])).get(CROP_OUTPUT_SIDE)!;
}
