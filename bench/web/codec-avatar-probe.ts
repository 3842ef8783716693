/**
 * Why a copy that is neither JPEG nor WebP misses the same avatar at zoom 1 whatever its fidelity:
 * the server shrinks a JPEG (and a WebP) while decoding it when the crop is shrunk 3× or more
 * (lib/images/pipeline.ts, shrinkOnLoad), the original is a JPEG, and AVIF or PNG have no such
 * decoding, so the two avatars come out of different filter chains. One team fixture enlarged 3×
 * as e2e/same-avatar.spec.ts does, its copy by sharp's Lanczos-3 as lossless PNG, JPEG 97 and
 * AVIF (@jsquash, libaom, 4:4:4), the spec's aligned crops at zoom 1 and 3, the 512 px avatars
 * compared per pixel. Used for docs/decisions/copy-stays-jpeg.md:
 *
 *   node --conditions=react-server --import tsx bench/web/codec-avatar-probe.ts
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import sharp from "sharp";

import { cropToRenditions, inspectImage, type DecodeLimits } from "@/lib/images/pipeline";
import { meanDifference } from "@/test/harness/images";
import { ROOT } from "@/tools/paths";

const FIXTURE = path.resolve(ROOT, "../shared/fixtures/exif-orientation/Landscape_1.jpg");
const LIMITS: DecodeLimits = { maxPixels: 100_000_000, timeoutSeconds: 30 };
const AVIF_OPTIONS = { quality: 80, speed: 10, subsample: 3 };
/** The spec's aligned crops of a 5400×3600 original and its 2304×1536 copy. */
const CROPS = [
  { zoom: 1, original: { left: 600, top: 0, width: 3600, height: 3600 }, copy: { left: 256, top: 0, width: 1536, height: 1536 } },
  { zoom: 3, original: { left: 1500, top: 1425, width: 1200, height: 1200 }, copy: { left: 640, top: 608, width: 512, height: 512 } },
];

async function avifEncoder(): Promise<(pixels: { data: Uint8ClampedArray; width: number; height: number }) => Promise<Buffer>> {
  const avif = await import("@jsquash/avif/encode.js");
  // Node has no fetch for file URLs: the module is compiled here and handed over.
  await avif.init(await WebAssembly.compile(readFileSync(path.join(ROOT, "node_modules/@jsquash/avif/codec/enc/avif_enc.wasm"))));
  return async (pixels) => Buffer.from(await avif.default(pixels as ImageData, AVIF_OPTIONS));
}

async function avatar(bytes: Buffer, crop: { left: number; top: number; width: number; height: number }): Promise<Buffer> {
  const renditions = await cropToRenditions(bytes, await inspectImage(bytes, LIMITS), { ...crop, rotation: 0 }, LIMITS, [512] as const);
  return renditions.get(512)!;
}

async function main() {
  if (!existsSync(FIXTURE)) throw new Error(`${FIXTURE} does not exist (team fixtures are only on team machines and CI)`);
  const input = readFileSync(FIXTURE);
  const meta = await sharp(input).metadata();
  const original = await sharp(input).resize(meta.width! * 3, meta.height! * 3, { fit: "fill" }).jpeg({ quality: 88 }).toBuffer();
  const { data, info } = await sharp(original).resize(2304, 1536, { kernel: "lanczos3", fit: "fill" }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: 4 as const } };
  const encodeAvif = await avifEncoder();
  const copies = {
    "lossless PNG": await sharp(data, raw).png({ compressionLevel: 1 }).toBuffer(),
    "JPEG 97 (sharp)": await sharp(data, raw).removeAlpha().jpeg({ quality: 97 }).toBuffer(),
    [`AVIF q${AVIF_OPTIONS.quality} s${AVIF_OPTIONS.speed} 4:4:4`]: await encodeAvif({ data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height }),
  };
  for (const crop of CROPS) {
    const fromOriginal = await avatar(original, crop.original);
    for (const [label, bytes] of Object.entries(copies)) {
      const difference = await meanDifference(fromOriginal, await avatar(bytes, crop.copy), 512);
      console.log(`zoom ${crop.zoom}, copy as ${label} (${bytes.length} B): ${difference.toFixed(2)}/255 from the original's avatar`);
    }
  }
}

await main();
