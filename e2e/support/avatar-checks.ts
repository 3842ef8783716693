import { expect, type APIRequestContext } from "@playwright/test";

import { meanDifference, referenceCrop } from "@/test/harness/images";

export type RequestedCrop = { left: number; top: number; width: number; height: number; rotation: number };

/**
 * The saved avatar is the crop the browser asked for: its rendition is compared, pixel by pixel,
 * with the same crop of the original done here (orient, rotate, crop). Returns the difference (0-255).
 */
export async function expectAvatarIsCrop(request: APIRequestContext, avatarSrc: string, original: Buffer, crop: RequestedCrop): Promise<number> {
  const rendition = await request.get(avatarSrc);
  expect(rendition.status()).toBe(200);
  const rotation = crop.rotation as 0 | 90 | 180 | 270;
  const difference = await meanDifference(Buffer.from(await rendition.body()), await referenceCrop(original, rotation, crop));
  expect(difference).toBeLessThan(8);
  return difference;
}
