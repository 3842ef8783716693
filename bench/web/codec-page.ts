/**
 * The page codec-candidates.ts measures in: the candidates, and a page that has the @jsquash
 * WebAssembly encoders loaded from node_modules (served by Playwright's routing on a localhost
 * name, nothing listens). The page is not cross-origin isolated, like the app's, so the AVIF
 * encoder takes its single-threaded build.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { Browser, Page } from "@playwright/test";

export type Candidate =
  | { label: string; encoder: "canvas"; type: "image/jpeg" | "image/webp"; quality: number }
  | { label: string; encoder: "avif" | "mozjpeg" | "webp"; options: Record<string, number | boolean> };

/** AVIF's `subsample`: 1 is 4:2:0, 3 is 4:4:4 (colour at full resolution). */
const avif = (quality: number, speed: number, subsample = 3): Candidate => ({
  label: `AVIF q${quality} s${speed} ${subsample === 3 ? "4:4:4" : "4:2:0"}`,
  encoder: "avif",
  options: { quality, speed, subsample },
});

/** MozJPEG with its own subsampling (not its automatic choice); trellis quantisation is on by default. */
const mozjpeg = (quality: number, full: boolean, multipass = false): Candidate => ({
  label: `MozJPEG q${quality} ${full ? "4:4:4" : "4:2:0"}${multipass ? " trellis multipass" : ""}`,
  encoder: "mozjpeg",
  options: { quality, auto_subsample: false, chroma_subsample: full ? 1 : 2, trellis_multipass: multipass },
});

const webp = (quality: number): Candidate => ({ label: `libwebp q${quality} sharp YUV`, encoder: "webp", options: { quality, use_sharp_yuv: 1, method: 4 } });

/** The first is today's copy: every ratio is to it. */
export const CANDIDATES: readonly Candidate[] = [
  { label: "JPEG 0.97", encoder: "canvas", type: "image/jpeg", quality: 0.97 },
  { label: "JPEG 0.92", encoder: "canvas", type: "image/jpeg", quality: 0.92 },
  { label: "WebP 0.90", encoder: "canvas", type: "image/webp", quality: 0.9 },
  avif(60, 8),
  avif(70, 8),
  avif(80, 8),
  avif(88, 8),
  avif(80, 6),
  avif(80, 10),
  avif(80, 8, 1),
  mozjpeg(90, true),
  mozjpeg(93, true),
  mozjpeg(95, true),
  mozjpeg(93, true, true),
  mozjpeg(95, false),
  webp(90),
  webp(95),
];

const ORIGIN = "http://codecs.localhost";
const MODULES = path.resolve(import.meta.dirname, "../../node_modules");

const PAGE = `<!doctype html><title>codecs</title>
<script type="importmap">{"imports":{"wasm-feature-detect":"/wasm-feature-detect/dist/esm/index.js"}}</script>
<script type="module">
import avif from "/@jsquash/avif/encode.js";
import mozjpeg from "/@jsquash/jpeg/encode.js";
import webp from "/@jsquash/webp/encode.js";
// Each is started by encoding a tiny picture: fetch and compile, once, as the worker would ahead of the file.
const codec = (encode) => ({ encode, init: () => encode(new ImageData(16, 16), {}) });
window.codecs = { avif: codec(avif), mozjpeg: codec(mozjpeg), webp: codec(webp) };
</script>`;

const TYPES: Record<string, string> = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };

export async function openCodecPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.route(`${ORIGIN}/**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === "/") return route.fulfill({ contentType: "text/html", body: PAGE });
    const file = path.join(MODULES, decodeURIComponent(pathname));
    if (!file.startsWith(MODULES + path.sep)) return route.fulfill({ status: 404 });
    try {
      return await route.fulfill({ contentType: TYPES[path.extname(file)] ?? "application/octet-stream", body: await readFile(file) });
    } catch {
      return route.fulfill({ status: 404 });
    }
  });
  await page.goto(`${ORIGIN}/`);
  // tsx names functions with a helper the page does not have.
  await page.evaluate("window.__name = (f) => f");
  await page.waitForFunction(() => "codecs" in globalThis);
  return page;
}
