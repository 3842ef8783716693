/**
 * How the browser could encode the copy it uploads: bytes, encode time and fidelity of each
 * candidate, measured in this machine's Chromium on the copy the shrink worker makes (short side
 * 1536, Lanczos-3: made here by sharp, the same filter). Candidates are Chromium's own encoders
 * (OffscreenCanvas.convertToBlob) and WebAssembly builds the page could ship (@jsquash: AVIF by
 * libaom, MozJPEG, libwebp), single-threaded as the app's page would run them (it is not
 * cross-origin isolated). Encode times are ratios to this Chromium's own full decode of the same
 * file, measured in the same run; fidelity is the mean and the 99.9th percentile of the absolute
 * difference per channel against the lossless copy (at zoom 3 the avatar is the copy's own pixels,
 * so this is what reaches it; e2e/same-avatar.spec.ts is the end-to-end judge). Then the server's
 * side of each candidate (sharp reads it: the upload check and a crop at zoom 1 and 3) as a ratio
 * to the same for JPEG 0.97. Used for docs/decisions/copy-stays-jpeg.md:
 *
 *   node --conditions=react-server --import tsx bench/web/codec-candidates.ts [--only=label,label]
 */
import { existsSync } from "node:fs";

import sharp from "sharp";

import { photoLike } from "@/test/harness/images";

import { INPUTS, loadInput } from "../inputs";
import { machineFacts } from "../machine";
import { INPUT_CACHE } from "../prepare";
import { median } from "../stats";
import { CANDIDATES, openCodecPage, type Candidate } from "./codec-page";
import { serverCosts } from "./codec-server";

const REPEATS = 3;
/** The slow WebAssembly encoders are timed fewer times (their spread is small next to their cost). */
const WASM_REPEATS = 3;

type Measured = { label: string; bytes: number; encodeMs: number[]; data: string };

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


function chosen(): readonly Candidate[] {
  const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length).split(",");
  // The first is the reference every ratio is taken to.
  return only ? CANDIDATES.filter((candidate, i) => i === 0 || only.includes(candidate.label)) : CANDIDATES;
}

async function main() {
  const { chromium } = await import("@playwright/test");
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  const machine = machineFacts();
  console.log(`${machine.cpuModel}, ${machine.cores} cores; Chromium ${browser.version()}`);
  const candidates = chosen();
  const pictures = [
    { label: "bench JPEG 24 MP", bytes: await loadInput(INPUTS.find((input) => input.id === "jpeg-24mp")!, INPUT_CACHE) },
    { label: "photo-like noise 3600×2400 (JPEG 85)", bytes: await sharp(await photoLike(3600, 2400, 53)).jpeg({ quality: 85 }).toBuffer() },
  ];
  try {
    const page = await openCodecPage(browser);
    const setup = await page.evaluate(() => ({ isolated: globalThis.crossOriginIsolated, sharedMemory: typeof SharedArrayBuffer !== "undefined" }));
    console.log(`page cross-origin isolated: ${setup.isolated}, SharedArrayBuffer: ${setup.sharedMemory} (the WebAssembly encoders run single-threaded)`);
    for (const picture of pictures) {
      const copy = await lossless(picture.bytes);
      const result = await page.evaluate(
        async ({ original, png, candidates, repeats, wasmRepeats }) => {
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
          const context = canvas.getContext("2d", { colorSpace: "srgb" })!;
          context.drawImage(bitmap, 0, 0);
          // The worker has these pixels already (its resampler's output), so reading them back is not timed.
          const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height, { colorSpace: "srgb" });
          const encoders = (globalThis as unknown as { codecs: Record<string, { init: () => Promise<unknown>; encode: (image: ImageData, options: object) => Promise<ArrayBuffer> }> }).codecs;
          const initMs: Record<string, number> = {};
          const measured = [];
          for (const candidate of candidates) {
            const encodeMs: number[] = [];
            let bytes!: Uint8Array;
            if (candidate.encoder === "canvas") {
              for (let i = 0; i < repeats; i++) {
                const started = performance.now();
                const blob = await canvas.convertToBlob({ type: candidate.type, quality: candidate.quality });
                encodeMs.push(performance.now() - started);
                bytes = new Uint8Array(await blob.arrayBuffer());
              }
            } else {
              const codec = encoders[candidate.encoder]!;
              if (!(candidate.encoder in initMs)) {
                const started = performance.now();
                await codec.init();
                initMs[candidate.encoder] = performance.now() - started;
              }
              for (let i = 0; i < wasmRepeats; i++) {
                const started = performance.now();
                const buffer = await codec.encode(pixels, candidate.options);
                encodeMs.push(performance.now() - started);
                bytes = new Uint8Array(buffer);
              }
            }
            let binary = "";
            for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
            measured.push({ label: candidate.label, bytes: bytes.length, encodeMs, data: btoa(binary) });
          }
          return { decodeMs, initMs, measured };
        },
        { original: picture.bytes.toString("base64"), png: copy.png.toString("base64"), candidates, repeats: REPEATS, wasmRepeats: WASM_REPEATS },
      );
      const floor = median(result.decodeMs);
      console.log(`\n${picture.label}: ${picture.bytes.length} B; copy ${copy.width}×${copy.height}; full decode in Chromium (floor) median ${floor.toFixed(0)} ms`);
      console.log(`  WebAssembly start (fetch + compile, once, ahead of the file): ${Object.entries(result.initMs).map(([name, ms]) => `${name} ${(ms / floor).toFixed(2)}× (${ms.toFixed(0)} ms)`).join(", ")}`);
      const measured = result.measured as Measured[];
      const reference = Buffer.from(measured[0]!.data, "base64");
      const server = await serverCosts(reference, copy);
      for (const candidate of measured) {
        const data = Buffer.from(candidate.data, "base64");
        const fidelity = await difference(copy.png, data);
        const encode = median(candidate.encodeMs);
        const costs = candidate === measured[0] ? server.reference : await server.of(data);
        console.log(
          `  ${candidate.label}: ${candidate.bytes} B (${(candidate.bytes / measured[0]!.bytes).toFixed(2)}× ${measured[0]!.label}), encode ${(encode / floor).toFixed(2)}× the decode (${encode.toFixed(0)} ms of ${candidate.encodeMs.map((ms) => ms.toFixed(0)).join("/")}), mean |Δ| ${fidelity.mean.toFixed(2)}/255, 99.9th pct ${fidelity.p999}/255; server: ${costs.format}, check ${costs.check}, crop ${costs.crop}`,
        );
      }
    }
  } finally {
    await browser.close();
  }
}

await main();
