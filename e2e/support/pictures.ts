import sharp from "sharp";

import { faceLike, photoLike, withOrientation, type Subject } from "@/test/harness/images";

/** A real JPEG photo-like picture, stored sideways with EXIF orientation 6 like a phone's. */
export async function phonePhoto(seed = 1): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const upright = await photoLike(1200, 1600, seed);
  return { name: `phone-${seed}.jpg`, mimeType: "image/jpeg", buffer: await withOrientation(upright, 6) };
}

export async function plainJpeg(width: number, height: number, seed = 1): Promise<Buffer> {
  return sharp(await photoLike(width, height, seed)).jpeg({ quality: 90 }).toBuffer();
}

/** A face-like subject off-centre (test/harness/images.ts): where it is, and the picture as a JPEG. */
export async function subjectPhoto(width: number, height: number, subject: Subject, seed = 1): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const buffer = await sharp(await faceLike(width, height, subject, seed)).jpeg({ quality: 90 }).toBuffer();
  return { name: `subject-${seed}.jpg`, mimeType: "image/jpeg", buffer };
}
