/**
 * Renders the app's icons from the one hand-written source, app/icon.svg, into the files Next.js
 * serves by its metadata file conventions: app/apple-icon.png (180 px, iOS home screens) and
 * app/favicon.ico (16 and 32 px, for clients that ask for /favicon.ico whatever the page says).
 * Run after changing the SVG and commit the results:
 *   node --import tsx scripts/make-icons.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import sharp from "sharp";

import { ROOT } from "@/tools/paths";

const app = path.join(ROOT, "app");
const svg = readFileSync(path.join(app, "icon.svg"));
const png = (size: number, options: { fullBleed?: boolean } = {}) => {
  const image = sharp(svg, { density: 72 * (size / 64) * 4 }).resize(size, size);
  // iOS rounds the corners itself and paints transparent ones black: fill them with the background.
  return (options.fullBleed ? image.flatten({ background: "#0b57d0" }) : image).png({ compressionLevel: 9 }).toBuffer();
};

/** An ICO file holding PNG images (allowed since Windows Vista, and by every browser). */
function ico(images: { size: number; bytes: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, bytes }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size % 256, entry); // 0 means 256
    header.writeUInt8(size % 256, entry + 1);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(bytes.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += bytes.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.bytes)]);
}

writeFileSync(path.join(app, "apple-icon.png"), await png(180, { fullBleed: true }));
writeFileSync(path.join(app, "favicon.ico"), ico([{ size: 16, bytes: await png(16) }, { size: 32, bytes: await png(32) }]));
console.log("wrote app/apple-icon.png and app/favicon.ico from app/icon.svg");
