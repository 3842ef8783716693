import "server-only";

import sharp from "sharp";

import { defaultAvatarSvg, type DefaultAvatarDesign } from "./default-avatar";

/**
 * The default avatar as WebP at `size` pixels: the SVG is drawn by librsvg (inside sharp) at that
 * size, so text and edges are sharp at every size instead of scaled from one bitmap.
 */
export async function renderDefaultAvatar(design: DefaultAvatarDesign, size: number): Promise<Buffer> {
  return sharp(Buffer.from(defaultAvatarSvg(design, size)), { density: 72 }).resize(size, size).webp({ quality: 90, effort: 2 }).toBuffer();
}
