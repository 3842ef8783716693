/**
 * The wizard on a phone's uplink: real Chromium with network emulation (CDP
 * Network.emulateNetworkConditions: upload 10 or 2 Mbit/s, download NETWORK.downloadMbit, latency
 * NETWORK.latencyMs) against the production build (web/build.ts), one `next start` per variant of
 * the client's flow (UPLOAD_CLIENT_RESIZE × UPLOAD_EARLY_CROP), all running at once so the runs can
 * be interleaved: each repetition visits every cell (variant × input × uplink) in a rotated order,
 * so a busy moment of the shared machine hits them alike.
 *
 * A scripted user chooses the file, waits for the crop step to be interactive, spends
 * NETWORK.cropSeconds cropping, clicks Crop (when it is enabled), then "Save as my avatar". Per
 * run: file chosen → crop step interactive, file chosen → avatar saved, the bytes of the multipart
 * POST to S3 (web/upload-counting-proxy.ts) and the page's own preparation time (its
 * avatar-prepare-start/-end marks; absent: no preparation).
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import type { Browser, Page } from "@playwright/test";

import { SHRINK_SHORT_SIDE } from "@/lib/client/shrink-plan";
import { applyBucketSetup, bucketTargetFromEnv } from "@/tools/bucket/bucket-setup";
import { waitForHealthy } from "@/tools/http";
import { closedPort } from "@/tools/ports";
import { isRunning } from "@/tools/processes";

import { INPUTS, inputPath, loadInput, type InputSpec } from "../inputs";
import { INPUT_CACHE } from "../prepare";
import { appEnvironment } from "../s3";
import { rotate } from "../stats";
import { productionBuild, type BuildInfo } from "./build";
import { Client } from "./client";
import { uploadCountingProxy, type UploadProxy } from "./upload-counting-proxy";

export const NETWORK = {
  uplinksMbit: [10, 2],
  downloadMbit: 40,
  latencyMs: 40,
  cropSeconds: 3,
  /** The page shown → the file chosen (unthrottled; the timings start at the choice). */
  chooseMs: 1000,
  inputs: ["jpeg-12mp", "jpeg-24mp", "jpeg-48mp"],
  /** The throttle check: this many bytes at the first uplink must take at least their transfer time. */
  checkBytes: 4_000_000,
} as const;

export const VARIANTS = [
  { id: "today", label: "today (no shrink, crop step after the upload)", resize: false, earlyCrop: false },
  { id: "shrink", label: "shrink in the browser only", resize: true, earlyCrop: false },
  { id: "earlyCrop", label: "early crop step only", resize: false, earlyCrop: true },
  { id: "both", label: "shrink + early crop step (new)", resize: true, earlyCrop: true },
] as const;
export type VariantId = (typeof VARIANTS)[number]["id"];

export type NetworkRun = {
  variant: VariantId;
  input: string;
  uplinkMbit: number;
  repetition: number;
  /** File chosen → the crop step's picture visible and loaded. */
  interactiveMs: number;
  /** File chosen → "Your new avatar is saved." (with NETWORK.cropSeconds of cropping in between). */
  savedMs: number;
  /** Body bytes of the multipart POST(s) to S3 during the run. */
  uploadedBytes: number;
  uploads: number;
  /** avatar-prepare-start → avatar-prepare-end; null when the page did not prepare the file. */
  prepareMs: number | null;
};

/**
 * The floors of one repetition, per input, in this Chromium: a worker's full decode of the file
 * (`createImageBitmap`, EXIF applied: the least any crop step shown from the file can wait), and
 * the bytes of a JPEG 0.97 copy at the shrink's size (what the copy cost before it became a WebP).
 */
export type DecodeFloor = { input: string; repetition: number; decodeMs: number; jpegCopyBytes: number };

export type NetworkResults = {
  chromium: string;
  /** The machine the browser ran on (the report's ratios are to floors measured on it, in the same run). */
  machine: { cpuModel: string; cores: number };
  floors: DecodeFloor[];
  build: BuildInfo;
  /** Whether the measured build has the client feature (lib/env.ts knows UPLOAD_CLIENT_RESIZE). */
  featureInBuild: boolean;
  variants: VariantId[];
  /** Repetitions per cell: `slow` for variants that upload the file as it is, at the slowest uplink. */
  repetitions: { normal: number; slow: number };
  inputs: { id: string; label: string; width: number; height: number; bytes: number }[];
  throttleCheck: { bytes: number; uplinkMbit: number; ms: number; minMs: number; applies: boolean };
  runs: NetworkRun[];
  failures: { variant: VariantId; input: string; uplinkMbit: number; repetition: number; error: string }[];
};

type Log = (line: string) => void;

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const bytesPerSecond = (mbit: number) => (mbit * 1e6) / 8;
/** Long enough for a 48 MP file at 2 Mbit/s (about 50 s) with a busy machine. */
const RUN_TIMEOUT_MS = 240_000;

/** Whether the app at `root` has the client feature's settings (commits before the shrink in the browser have not). */
export function hasClientFeature(root: string): boolean {
  const file = path.join(root, "lib", "env.ts");
  return existsSync(file) && readFileSync(file, "utf8").includes("UPLOAD_CLIENT_RESIZE");
}

async function throttle(page: Page, uplinkMbit: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: NETWORK.latencyMs,
    downloadThroughput: bytesPerSecond(NETWORK.downloadMbit),
    uploadThroughput: bytesPerSecond(uplinkMbit),
  });
}

/**
 * Does this Chromium throttle a multipart POST? A 4 MB FormData POST to a local sink at the first
 * uplink must take at least its transfer time at that rate (3.2 s at 10 Mbit/s); if it did not,
 * the figures would not show the uplink, and the section says so.
 */
async function throttleCheck(browser: Browser): Promise<NetworkResults["throttleCheck"]> {
  const sink = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "access-control-allow-origin": "*", "content-type": "text/html" });
      response.end("<!doctype html><title>sink</title>");
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", () => resolve()));
  const { port } = sink.address() as import("node:net").AddressInfo;
  const uplinkMbit = NETWORK.uplinksMbit[0];
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await throttle(page, uplinkMbit);
    const ms = await page.evaluate(async (bytes) => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(bytes)], { type: "application/octet-stream" }), "check.bin");
      const started = performance.now();
      await (await fetch(`${location.origin}/upload`, { method: "POST", body: form })).text();
      return performance.now() - started;
    }, NETWORK.checkBytes);
    const minMs = ((NETWORK.checkBytes * 8) / (uplinkMbit * 1e6)) * 1000;
    return { bytes: NETWORK.checkBytes, uplinkMbit, ms, minMs, applies: ms >= minMs };
  } finally {
    await context.close();
    sink.close();
  }
}

type App = { variant: (typeof VARIANTS)[number]; origin: string; process: ChildProcess; cookies: { name: string; value: string }[] };

async function startApp(buildDir: string, variant: (typeof VARIANTS)[number], s3Origin: string): Promise<App> {
  const port = await closedPort();
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    ...appEnvironment(s3Origin, {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: origin,
      AUTH_DEV_LOGIN: "true",
      CORS_ALLOWED_ORIGINS: origin,
      INSTANCE_ID: `bench-network-${variant.id}`,
      LOG_LEVEL: "warn",
      UPLOAD_CLIENT_RESIZE: String(variant.resize),
      UPLOAD_EARLY_CROP: String(variant.earlyCrop),
    }),
  };
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: buildDir, env, stdio: ["ignore", "ignore", "inherit"] });
  await waitForHealthy({ url: origin, get running() { return isRunning(child); } }, 90_000);
  const client = new Client(origin);
  await client.signIn(`bench-network-${variant.id}`);
  return { variant, origin, process: child, cookies: client.cookieList() };
}

async function stopApp(app: App): Promise<void> {
  if (app.process.exitCode !== null) return;
  const exited = new Promise((resolve) => app.process.once("exit", resolve));
  app.process.kill("SIGTERM");
  await exited;
}

/** Epoch milliseconds in the page (performance.timeOrigin + now: comparable across documents). */
const CHOSEN_SCRIPT = `document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.type === "file") window.__benchChosenAt = performance.timeOrigin + performance.now();
}, true);`;

/**
 * The decode floor: in a page of its own (no app, no throttling), a worker decodes the file as the
 * shrink worker does; then a JPEG 0.97 of it at the copy's size, for its bytes. tsx names
 * functions with a helper the page does not have, so the page's code is a string.
 */
const FLOOR_SCRIPT = `async (base64, shortSide) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const file = new Blob([bytes], { type: "image/jpeg" });
  const source = "onmessage = async (e) => { const t = performance.now(); const b = await createImageBitmap(e.data.file, { imageOrientation: 'from-image', colorSpaceConversion: 'default' }); const ms = performance.now() - t; const s = e.data.shortSide / Math.min(b.width, b.height); const w = Math.round(b.width * s), h = Math.round(b.height * s); const r = await createImageBitmap(b, { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' }); const c = new OffscreenCanvas(w, h); c.getContext('2d').drawImage(r, 0, 0); const j = await c.convertToBlob({ type: 'image/jpeg', quality: 0.97 }); postMessage({ decodeMs: ms, jpegCopyBytes: j.size }); }";
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
  const answer = await new Promise((resolve, reject) => { worker.onmessage = (e) => resolve(e.data); worker.onerror = (e) => reject(new Error(e.message)); worker.postMessage({ file, shortSide }); });
  worker.terminate();
  return answer;
}`;

async function decodeFloor(browser: Browser, spec: InputSpec): Promise<{ decodeMs: number; jpegCopyBytes: number }> {
  const bytes = await loadInput(spec, INPUT_CACHE);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.setContent("<!doctype html><title>floor</title>");
    return (await page.evaluate(`(${FLOOR_SCRIPT})(${JSON.stringify(bytes.toString("base64"))}, ${SHRINK_SHORT_SIDE})`)) as { decodeMs: number; jpegCopyBytes: number };
  } finally {
    await context.close();
  }
}

/** One scripted user: choose, wait for the crop step, crop for NETWORK.cropSeconds, crop, save. */
async function oneRun(browser: Browser, app: App, spec: InputSpec, uplinkMbit: number, proxy: UploadProxy): Promise<Omit<NetworkRun, "variant" | "input" | "uplinkMbit" | "repetition">> {
  const context = await browser.newContext();
  try {
    await context.addCookies(app.cookies.map((cookie) => ({ ...cookie, url: app.origin })));
    await context.addInitScript(CHOSEN_SCRIPT);
    const page = await context.newPage();
    page.setDefaultTimeout(RUN_TIMEOUT_MS);
    await page.goto(`${app.origin}/avatar/new`);
    await page.getByRole("heading", { name: "Choose a picture" }).waitFor();
    // A user takes a moment to choose: what the page starts on load (the shrink worker) is ready by then.
    await page.waitForTimeout(NETWORK.chooseMs);
    // The page is loaded as the user found it; from here on the phone's network.
    await throttle(page, uplinkMbit);
    const before = { ...proxy.counter };
    const fallbackChosenAt = Date.now();
    // The file picker, not the camera's capture="user" fallback input beside it.
    await page.locator('input[type="file"]:not([capture])').setInputFiles(inputPath(spec, INPUT_CACHE));
    const interactiveAt = (await page.waitForFunction(
      () => {
        const image = document.querySelector<HTMLImageElement>('[data-testid="cropper"] img');
        const shown = image && image.complete && image.naturalWidth > 0 && image.getBoundingClientRect().width > 0 && image.checkVisibility();
        return shown ? performance.timeOrigin + performance.now() : false;
      },
      undefined,
      { polling: "raf", timeout: RUN_TIMEOUT_MS },
    ).then((handle) => handle.jsonValue())) as number;
    const chosenAt = (await page.evaluate(() => (window as unknown as { __benchChosenAt?: number }).__benchChosenAt)) ?? fallbackChosenAt;
    await page.waitForTimeout(NETWORK.cropSeconds * 1000);
    await page.getByRole("button", { name: "Crop", exact: true }).click();
    const save = page.getByRole("button", { name: "Save as my avatar" });
    await save.waitFor();
    // Read once cropped (a client-side navigation keeps the marks): the copy is made behind the crop step and may outlast the cropping.
    const prepareMs = await page.evaluate(() => {
      const start = performance.getEntriesByName("avatar-prepare-start")[0];
      const end = performance.getEntriesByName("avatar-prepare-end")[0];
      return start && end ? end.startTime - start.startTime : null;
    });
    await save.click();
    await page.waitForURL(/\/avatar\/history\?saved=/);
    const savedAt = (await page.waitForFunction(
      () => {
        const saved = [...document.querySelectorAll('[role="status"]')].some((element) => element.textContent?.includes("Your new avatar is saved."));
        return saved ? performance.timeOrigin + performance.now() : false;
      },
      undefined,
      { polling: "raf", timeout: RUN_TIMEOUT_MS },
    ).then((handle) => handle.jsonValue())) as number;
    return {
      interactiveMs: interactiveAt - chosenAt,
      savedMs: savedAt - chosenAt,
      uploadedBytes: proxy.counter.bodyBytes - before.bodyBytes,
      uploads: proxy.counter.uploads - before.uploads,
      prepareMs,
    };
  } finally {
    await context.close();
  }
}

export async function measureNetwork(options: {
  s3Endpoint: string;
  log: Log;
  variants: readonly VariantId[];
  repetitions: { normal: number; slow: number };
  inputs?: readonly string[];
}): Promise<NetworkResults> {
  const { log } = options;
  const build = productionBuild(log);
  const featureInBuild = hasClientFeature(build.dir);
  // Without the feature the settings do nothing: every variant would be today's flow.
  const variants = VARIANTS.filter((variant) => (featureInBuild ? options.variants.includes(variant.id) : variant.id === "today"));
  if (!featureInBuild) log("  this build has no UPLOAD_CLIENT_RESIZE / UPLOAD_EARLY_CROP: only today's flow is measured");
  const specs = (options.inputs ?? NETWORK.inputs).map((id) => INPUTS.find((input) => input.id === id)!);
  const inputs = [];
  for (const spec of specs) inputs.push({ id: spec.id, label: spec.label, width: spec.width, height: spec.height, bytes: (await loadInput(spec, INPUT_CACHE)).length });

  const proxy = await uploadCountingProxy(options.s3Endpoint);
  const apps: App[] = [];
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));
  const { chromium } = await import("@playwright/test");
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const check = await throttleCheck(browser);
    log(`  throttle check: ${(check.bytes / 1e6).toFixed(1)} MB POST at ${check.uplinkMbit} Mbit/s took ${(check.ms / 1000).toFixed(2)} s (at least ${(check.minMs / 1000).toFixed(2)} s expected)`);
    for (const variant of variants) apps.push(await startApp(build.dir, variant, proxy.origin));
    // The browser POSTs to S3 from every app's origin.
    await applyBucketSetup({ ...bucketTargetFromEnv(), origins: apps.map((app) => app.origin) });

    const slowest = Math.min(...NETWORK.uplinksMbit);
    const cells = apps.flatMap((app) =>
      specs.flatMap((spec) =>
        NETWORK.uplinksMbit.map((uplinkMbit) => ({
          app,
          spec,
          uplinkMbit,
          repetitions: !app.variant.resize && uplinkMbit === slowest ? options.repetitions.slow : options.repetitions.normal,
        })),
      ),
    );
    // One untimed run per app first: the server's first requests (JIT, S3 connections) are not counted.
    for (const app of apps) await oneRun(browser, app, specs[0]!, NETWORK.uplinksMbit[0], proxy).catch((error: unknown) => log(`  warm-up of ${app.variant.id} failed: ${String(error)}`));

    const runs: NetworkRun[] = [];
    const floors: DecodeFloor[] = [];
    const failures: NetworkResults["failures"] = [];
    const most = Math.max(options.repetitions.normal, options.repetitions.slow);
    for (let repetition = 0; repetition < most; repetition++) {
      const started = performance.now();
      for (const spec of specs) floors.push({ input: spec.id, repetition, ...(await decodeFloor(browser, spec)) });
      for (const cell of rotate(cells, repetition)) {
        if (repetition >= cell.repetitions) continue;
        const where = { variant: cell.app.variant.id, input: cell.spec.id, uplinkMbit: cell.uplinkMbit, repetition };
        try {
          runs.push({ ...where, ...(await oneRun(browser, cell.app, cell.spec, cell.uplinkMbit, proxy)) });
        } catch (error) {
          failures.push({ ...where, error: error instanceof Error ? error.message.split("\n")[0]! : String(error) });
          log(`  FAILED ${cell.app.variant.id} ${cell.spec.id} ${cell.uplinkMbit} Mbit/s: ${failures.at(-1)!.error}`);
        }
      }
      log(`  repetition ${repetition + 1}/${most}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    return {
      chromium: `${executablePath ?? "Playwright's bundled Chromium"} ${browser.version()}`,
      machine: { cpuModel: os.cpus()[0]?.model.trim() ?? "unknown", cores: os.availableParallelism() },
      floors,
      build,
      featureInBuild,
      variants: variants.map((variant) => variant.id),
      repetitions: options.repetitions,
      inputs,
      throttleCheck: check,
      runs,
      failures,
    };
  } finally {
    await browser.close();
    for (const app of apps) await stopApp(app);
    await proxy.close();
  }
}
