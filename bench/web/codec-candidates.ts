/**
 * How the browser could encode the copy it uploads: bytes, encode time and fidelity of each
 * candidate, measured in this machine's Chromium on the copy the shrink worker makes (short side
 * 1536, Lanczos-3: made here by sharp, the same filter). Encode times are ratios to this
 * Chromium's own full decode of the same file, measured in the same run; fidelity is the mean and
 * the 99.9th percentile of the absolute difference per channel against the lossless copy (at zoom
 * 3 the avatar is the copy's own pixels, so this is what reaches it; e2e/same-avatar.spec.ts is the
 * end-to-end judge). Used for docs/decisions/copy-as-webp.md:
 *
 *   node --import tsx bench/web/codec-candidates.ts
 */
import { existsSync } from "node:fs";

import sharp from "sharp";

import { photoLike } from "@/test/harness/images";

import { INPUTS, loadInput } from "../inputs";
import { machineFacts } from "../machine";
import { INPUT_CACHE } from "../prepare";

const CANDIDATES = [
  { type: "image/jpeg", quality: 0.97 },
  { type: "image/jpeg", quality: 0.92 },
  { type: "image/webp", quality: 0.95 },
  { type: "image/webp", quality: 0.9 },
  { type: "image/webp", quality: 0.85 },
  { type: "image/webp", quality: 0.8 },
] as const;
const REPEATS = 3;

type Measured = { type: string; quality: number; bytes: number; encodeMs: number[]; data: string };

async function lossless(original: Buffer): Promise<{ png: Buffer; width: number; height: number }> {
  const upright = sharp(original).autoOrient();
  const { width, height } = await upright.metadata().then((m) => ((m.orientation ?? 1) >= 5 ? { width: m.height!, height: m.width! } : { width: m.width!, height: m.height! }));
  const scale = 1536 / Math.min(width, height);
  const size = { width: Math.max(1536, Math.round(width * scale)), height: Math.max(1536, Math.round(height * scale)) };
  const png = await sharp(original).autoOrient().resize(size.width, size.height, { kernel: "lanczos3", fit: "fill" }).png({ compressionLevel: 1 }).toBuffer();
  return { png, ...size };
}

async function difference(reference: Buffer, candidate: Buffer): Promise<{ mean: number; p999: number }> {
  const a = await sharp(reference).removeAlpha().raw().toBuffer();
  const b = await sharp(candidate).removeAlpha().raw().toBuffer();
  const histogram = new Array<number>(256).fill(0);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    histogram[d]!++;
  }
  let seen = 0;
  let p999 = 0;
  for (; p999 < 256; p999++) if ((seen += histogram[p999]!) >= a.length * 0.999) break;
  return { mean: sum / a.length, p999 };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

async function main() {
  const { chromium } = await import("@playwright/test");
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  const machine = machineFacts();
  console.log(`${machine.cpuModel}, ${machine.cores} cores; Chromium ${browser.version()}`);
  const pictures = [
    { label: "bench JPEG 24 MP", bytes: await loadInput(INPUTS.find((input) => input.id === "jpeg-24mp")!, INPUT_CACHE) },
    { label: "photo-like noise 3600×2400 (JPEG 85)", bytes: await sharp(await photoLike(3600, 2400, 53)).jpeg({ quality: 85 }).toBuffer() },
  ];
  try {
    const page = await browser.newPage();
    await page.setContent("<!doctype html><title>codecs</title>");
    // tsx names functions with a helper the page does not have.
    await page.evaluate("window.__name = (f) => f");
    for (const picture of pictures) {
      const copy = await lossless(picture.bytes);
      const result = await page.evaluate(
        async ({ original, png, candidates, repeats }) => {
          const blobOf = (base64: string, type: string) => new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type });
          const file = blobOf(original, "image/jpeg");
          const decodeMs: number[] = [];
          for (let i = 0; i < repeats; i++) {
            const started = performance.now();
            const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
            decodeMs.push(performance.now() - started);
            bitmap.close();
          }
          const bitmap = await createImageBitmap(blobOf(png, "image/png"));
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          canvas.getContext("2d")!.drawImage(bitmap, 0, 0);
          const measured = [];
          for (const candidate of candidates) {
            const encodeMs: number[] = [];
            let blob!: Blob;
            for (let i = 0; i < repeats; i++) {
              const started = performance.now();
              blob = await canvas.convertToBlob(candidate);
              encodeMs.push(performance.now() - started);
            }
            const bytes = new Uint8Array(await blob.arrayBuffer());
            let binary = "";
            for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
            measured.push({ ...candidate, bytes: blob.size, encodeMs, data: btoa(binary) });
          }
          return { decodeMs, measured };
        },
        { original: picture.bytes.toString("base64"), png: copy.png.toString("base64"), candidates: CANDIDATES, repeats: REPEATS },
      );
      const floor = median(result.decodeMs);
      console.log(`\n${picture.label}: ${picture.bytes.length} B; copy ${copy.width}×${copy.height}; full decode in Chromium (floor) median ${floor.toFixed(0)} ms`);
      const jpeg = (result.measured as Measured[])[0]!;
      for (const candidate of result.measured as Measured[]) {
        const fidelity = await difference(copy.png, Buffer.from(candidate.data, "base64"));
        const encode = median(candidate.encodeMs);
        console.log(
          `  ${candidate.type} ${candidate.quality}: ${candidate.bytes} B (${(candidate.bytes / jpeg.bytes).toFixed(2)}× JPEG 0.97), encode ${(encode / floor).toFixed(2)}× the decode (${encode.toFixed(0)} ms), mean |Δ| ${fidelity.mean.toFixed(2)}/255, 99.9th pct ${fidelity.p999}/255`,
        );
      }
    }
  } finally {
    await browser.close();
  }
}

await main();
