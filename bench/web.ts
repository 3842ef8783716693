/**
 * The browser's side, measured on a real production build: `next build` of a copy of the working
 * tree (in the OS temp folder, so the .next other people's e2e runs use is never touched), then
 * `next start` behind a byte-counting loopback proxy, and the app's S3 traffic behind another.
 *
 *  - step 1: what the app receives per upload (presign + finish requests, headers included) while
 *    the file goes from the client straight to S3, and what the app itself then reads from S3;
 *  - step 2: what the browser downloads to show the crop step (the preview vs the original);
 *  - the gzip bytes of JavaScript the wizard pages load beyond an empty page of the same app.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

import sharp from "sharp";

import { getEnv } from "@/lib/env";
import { scaleCropToOriginal } from "@/lib/images/crop-geometry";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { cropToRenditions, inspectImage } from "@/lib/images/pipeline";

import { loadInput, type InputSpec } from "./inputs";
import { INPUT_CACHE } from "./prepare";
import { appEnvironment } from "./s3";

/** The app to build: this repository (BENCH_APP_ROOT names another checkout). */
const ROOT = process.env.BENCH_APP_ROOT ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const BUILD_DIR = path.join(tmpdir(), "avatar-relay-bench-build");

/** Files for step 1: about 1 MB and 10 MB of camera-like JPEG (q90). */
export const STEP1_FILES: readonly InputSpec[] = [
  { id: "jpeg-1mb", label: "JPEG ≈1 MB (2400×1600)", format: "jpeg", width: 2400, height: 1600, contentType: "image/jpeg" },
  { id: "jpeg-10mb", label: "JPEG ≈10 MB (7200×5400)", format: "jpeg", width: 7200, height: 5400, contentType: "image/jpeg" },
];

type Log = (line: string) => void;

// ---------------------------------------------------------------------------------------------
// Production build of a copy of the working tree

function sourceFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  return out
    .split("\0")
    .filter(Boolean)
    .filter((file) => !file.startsWith("bench/") && existsSync(path.join(ROOT, file)))
    .sort();
}

function treeHash(files: string[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update("\0").update(readFileSync(path.join(ROOT, file))).update("\0");
  return hash.digest("hex");
}

export type BuildInfo = { dir: string; reused: boolean; seconds: number; hash: string };

/** Builds (or reuses, when no source file changed) the copy; node_modules is hard-linked, not copied. */
export function productionBuild(log: Log): BuildInfo {
  const files = sourceFiles();
  const hash = treeHash(files);
  const stamp = path.join(BUILD_DIR, ".bench-build-hash");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash && existsSync(path.join(BUILD_DIR, ".next", "BUILD_ID"))) {
    log(`  reusing the production build in ${BUILD_DIR} (sources unchanged)`);
    return { dir: BUILD_DIR, reused: true, seconds: 0, hash };
  }
  const started = performance.now();
  const lockHash = createHash("sha256").update(readFileSync(path.join(ROOT, "package-lock.json"))).digest("hex");
  const lockStamp = path.join(BUILD_DIR, ".bench-lock-hash");
  const modulesFresh = existsSync(lockStamp) && readFileSync(lockStamp, "utf8") === lockHash;
  for (const entry of existsSync(BUILD_DIR) ? readdirSync(BUILD_DIR) : []) {
    if (entry === "node_modules" && modulesFresh) continue;
    rmSync(path.join(BUILD_DIR, entry), { recursive: true, force: true });
  }
  mkdirSync(BUILD_DIR, { recursive: true });
  for (const file of files) cpSync(path.join(ROOT, file), path.join(BUILD_DIR, file), { recursive: false });
  if (!modulesFresh) {
    execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(BUILD_DIR, "node_modules")]);
    writeFileSync(lockStamp, lockHash);
  }
  log(`  next build in ${BUILD_DIR} (a copy of the working tree; takes a minute or two)`);
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    cwd: BUILD_DIR,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
  writeFileSync(stamp, hash);
  return { dir: BUILD_DIR, reused: false, seconds: (performance.now() - started) / 1000, hash };
}

// ---------------------------------------------------------------------------------------------
// JavaScript per route, from the build's manifests

export type RouteJs = { route: string; files: string[]; rawBytes: number; gzipBytes: number };

function gzipSize(file: string): { raw: number; gzip: number } {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
}

/** The scripts a route's HTML loads: the root main files plus the client chunks of its layouts and page. */
export function routeJavaScript(buildDir: string, route: string): RouteJs {
  const next = path.join(buildDir, ".next");
  const buildManifest = JSON.parse(readFileSync(path.join(next, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const context: Record<string, unknown> = {};
  context.self = context;
  context.globalThis = context;
  vm.createContext(context);
  vm.runInContext(readFileSync(path.join(next, "server", "app", `${route}_client-reference-manifest.js`), "utf8"), context);
  const manifest = (context.__RSC_MANIFEST as Record<string, { entryJSFiles: Record<string, string[]> }>)[route];
  if (!manifest) throw new Error(`no client reference manifest for ${route}`);
  const files = [...new Set([...buildManifest.rootMainFiles, ...Object.values(manifest.entryJSFiles).flat()])].sort();
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const size = gzipSize(path.join(next, file));
    rawBytes += size.raw;
    gzipBytes += size.gzip;
  }
  return { route, files, rawBytes, gzipBytes };
}

// ---------------------------------------------------------------------------------------------
// Loopback proxies that count bytes

export type Counter = { up: number; down: number; connections: number };
type Proxy = { port: number; origin: string; counter: Counter; close(): Promise<void> };

function countingProxy(targetPort: number): Promise<Proxy> {
  const counter: Counter = { up: 0, down: 0, connections: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    counter.connections += 1;
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("data", (chunk: Buffer) => {
      counter.up += chunk.length;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      counter.down += chunk.length;
      client.write(chunk);
    });
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        origin: `http://127.0.0.1:${port}`,
        counter,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// A client that does what the browser does, over HTTP

class Client {
  private readonly cookies = new Map<string, string>();
  constructor(readonly origin: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  cookieList(): { name: string; value: string }[] {
    return [...this.cookies].map(([name, value]) => ({ name, value }));
  }

  private keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? "";
      const at = pair.indexOf("=");
      if (at > 0) this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  async request(pathname: string, init: { method?: string; json?: unknown; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.cookieHeader(), origin: this.origin };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(`${this.origin}${pathname}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
    this.keep(response);
    return response;
  }

  async signIn(name: string): Promise<void> {
    const { csrfToken } = (await (await this.request("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await this.request("/api/auth/callback/dev", { form: { csrfToken, name, json: "true" } });
    await response.arrayBuffer();
    if (response.status >= 400) throw new Error(`sign-in answered ${response.status}`);
  }
}

async function waitForHealth(origin: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${origin}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${origin}/api/health did not answer 200 within ${timeoutMs} ms`);
}

// ---------------------------------------------------------------------------------------------

export type Step1Row = {
  file: string;
  fileBytes: number;
  /** Client → app: the presign and finish requests, HTTP headers and cookies included. */
  appReceived: number;
  /** App → client: their answers. */
  appSent: number;
  /** Client → S3 directly: the multipart POST (file + policy fields). */
  clientToS3: number;
  /** App ← S3 during finish: the app reads the original back to check it and make the preview. */
  appFromS3: number;
  /** App → S3 during finish: the preview (and the requests). */
  appToS3: number;
};

export type PreviewCheck = {
  file: string;
  originalBytes: number;
  previewBytes: number;
  previewSize: { width: number; height: number };
  displayed: { width: number; height: number };
  /** Image bytes the browser fetched on the crop page (Playwright), all images. */
  browserImageBytes: number;
  browserImageRequests: number;
  /** A rectangle chosen on the preview, scaled onto the original as the page does it. */
  previewRect: { left: number; top: number; width: number; height: number };
  originalRect: { left: number; top: number; width: number; height: number };
  /** Largest distance (original pixels) between the rounded rectangle and the exact scaled one. */
  mappingErrorPx: number;
  /** Mean difference (0-255) between the crop of the original and the same rectangle cut from the preview. */
  contentDifference: number;
};

export type PageJs = { page: string; url: string; scripts: number; transferBytes: number; gzipBytes: number };

export type WebResults = {
  build: BuildInfo;
  signIn: { appReceived: number; appSent: number };
  step1: Step1Row[];
  preview?: PreviewCheck;
  manifest: { empty: RouteJs; wizard: RouteJs[] };
  browser?: { pages: PageJs[]; chromium: string; error?: string };
};

async function uploadThroughApp(client: Client, appProxy: Proxy, s3Proxy: Proxy, s3Direct: string, bytes: Buffer, contentType: string) {
  const before = { ...appProxy.counter };
  const s3Before = { ...s3Proxy.counter };
  const presign = await client.request("/api/uploads", { json: { contentType, size: bytes.length } });
  if (presign.status !== 201) throw new Error(`presign answered ${presign.status}: ${await presign.text()}`);
  const { uploadId, post } = (await presign.json()) as { uploadId: string; post: { url: string; fields: Record<string, string> } };
  // The browser's POST goes to S3 itself, not through the app (nor through the app's S3 proxy).
  const url = new URL(post.url);
  const direct = new URL(url.pathname + url.search, s3Direct).toString();
  const form = new FormData();
  for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: contentType }), "upload");
  const encoded = new Response(form);
  const formBody = Buffer.from(await encoded.arrayBuffer());
  const s3 = await fetch(direct, { method: "POST", body: formBody, headers: { "content-type": encoded.headers.get("content-type")! } });
  await s3.arrayBuffer();
  if (s3.status >= 300) throw new Error(`S3 POST answered ${s3.status}`);
  const finish = await client.request(`/api/uploads/${uploadId}/finish`, { method: "POST" });
  const state = (await finish.json()) as { status: string; displayed: { width: number; height: number }; preview: { url: string; width: number; height: number } };
  if (finish.status !== 200) throw new Error(`finish answered ${finish.status}: ${JSON.stringify(state)}`);
  return {
    uploadId,
    state,
    row: {
      appReceived: appProxy.counter.up - before.up,
      appSent: appProxy.counter.down - before.down,
      clientToS3: formBody.length,
      appFromS3: s3Proxy.counter.down - s3Before.down,
      appToS3: s3Proxy.counter.up - s3Before.up,
    },
  };
}

/** The preview → original mapping of the crop step, checked on real pixels. */
async function mappingCheck(original: Buffer, preview: Buffer, previewSize: { width: number; height: number }, displayed: { width: number; height: number }) {
  const previewRect = {
    left: Math.round(previewSize.width * 0.41),
    top: Math.round(previewSize.height * 0.17),
    width: Math.round(previewSize.height * 0.55),
    height: Math.round(previewSize.height * 0.55),
  };
  const originalRect = scaleCropToOriginal(previewRect, previewSize, displayed);
  const exact = {
    left: (previewRect.left * displayed.width) / previewSize.width,
    top: (previewRect.top * displayed.height) / previewSize.height,
    right: ((previewRect.left + previewRect.width) * displayed.width) / previewSize.width,
    bottom: ((previewRect.top + previewRect.height) * displayed.height) / previewSize.height,
  };
  const mappingErrorPx = Math.max(
    Math.abs(originalRect.left - exact.left),
    Math.abs(originalRect.top - exact.top),
    Math.abs(originalRect.left + originalRect.width - exact.right),
    Math.abs(originalRect.top + originalRect.height - exact.bottom),
  );
  const maxPixels = getEnv().IMAGE_MAX_PIXELS;
  const info = await inspectImage(original, maxPixels);
  const renditions = await cropToRenditions(original, info, { ...originalRect, rotation: 0 }, maxPixels, [CROP_OUTPUT_SIDE]);
  const fromOriginal = renditions.get(CROP_OUTPUT_SIDE)!;
  const fromPreview = await sharp(preview).extract(previewRect).png().toBuffer();
  const side = 64;
  const read = (input: Buffer) => sharp(input).resize(side, side, { fit: "fill" }).removeAlpha().raw().toBuffer();
  const [a, b] = await Promise.all([read(fromOriginal), read(fromPreview)]);
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i]! - b[i]!);
  return { previewRect, originalRect, mappingErrorPx, contentDifference: total / a.length };
}

async function browserPages(appOrigin: string, cookies: { name: string; value: string }[], pages: { page: string; path: string }[], log: Log) {
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));
  const { chromium } = await import("@playwright/test");
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const results: PageJs[] = [];
  let images = { bytes: 0, requests: 0 };
  try {
    for (const { page: name, path: pathname } of pages) {
      // A fresh context per page: an empty cache, so every script the page needs is fetched.
      const context = await browser.newContext();
      await context.addCookies(cookies.map((cookie) => ({ ...cookie, url: appOrigin })));
      const page = await context.newPage();
      const scripts: Promise<{ transfer: number; gzip: number }>[] = [];
      const pictures: Promise<number>[] = [];
      page.on("response", (response) => {
        const type = response.request().resourceType();
        if (type === "script") {
          scripts.push(
            (async () => {
              const sizes = await response.request().sizes();
              const body = await response.body().catch(() => Buffer.alloc(0));
              return { transfer: sizes.responseBodySize, gzip: gzipSync(body).length };
            })(),
          );
        } else if (type === "image") {
          pictures.push(response.request().sizes().then((sizes) => sizes.responseBodySize));
        }
      });
      await page.goto(`${appOrigin}${pathname}`, { waitUntil: "networkidle" });
      const sized = await Promise.all(scripts);
      results.push({
        page: name,
        url: pathname,
        scripts: sized.length,
        transferBytes: sized.reduce((sum, s) => sum + s.transfer, 0),
        gzipBytes: sized.reduce((sum, s) => sum + s.gzip, 0),
      });
      if (name === "crop") {
        const bytes = await Promise.all(pictures);
        images = { bytes: bytes.reduce((a, b) => a + b, 0), requests: bytes.length };
      }
      log(`  ${name} page: ${sized.length} scripts`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { pages: results, images, chromium: `${executablePath ?? "Playwright's bundled Chromium"} ${browser.version()}` };
}

export async function measureWeb(options: { s3Endpoint: string; log: Log; preview24: InputSpec }): Promise<WebResults> {
  const { log } = options;
  const build = productionBuild(log);
  const s3Port = Number(new URL(options.s3Endpoint).port);
  const s3Proxy = await countingProxy(s3Port);
  const appPort = await freePort();
  const appProxy = await countingProxy(appPort);
  const env = {
    ...process.env,
    ...appEnvironment(s3Proxy.origin, {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: appProxy.origin,
      AUTH_DEV_LOGIN: "true",
      CORS_ALLOWED_ORIGINS: appProxy.origin,
      INSTANCE_ID: "bench-1",
      LOG_LEVEL: "warn",
    }),
  };
  const app = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(appPort)], {
    cwd: build.dir,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitForHealth(`http://127.0.0.1:${appPort}`, app, 60_000);
    const client = new Client(appProxy.origin);
    const signInBefore = { ...appProxy.counter };
    await client.signIn("bench-user");
    const signIn = { appReceived: appProxy.counter.up - signInBefore.up, appSent: appProxy.counter.down - signInBefore.down };

    const step1: Step1Row[] = [];
    for (const spec of STEP1_FILES) {
      const bytes = await loadInput(spec, INPUT_CACHE);
      const { row } = await uploadThroughApp(client, appProxy, s3Proxy, options.s3Endpoint, bytes, spec.contentType);
      step1.push({ file: spec.label, fileBytes: bytes.length, ...row });
      log(`  step 1, ${spec.label}: the app received ${row.appReceived} bytes`);
    }

    // Step 2 with a 24 MP camera JPEG: what the crop page makes the browser download.
    const original = await loadInput(options.preview24, INPUT_CACHE);
    const ready = await uploadThroughApp(client, appProxy, s3Proxy, options.s3Endpoint, original, options.preview24.contentType);
    step1.push({ file: `${options.preview24.label} (${options.preview24.width}×${options.preview24.height})`, fileBytes: original.length, ...ready.row });
    const previewUrl = new URL(ready.state.preview.url);
    const previewResponse = await fetch(new URL(previewUrl.pathname + previewUrl.search, options.s3Endpoint));
    const preview = Buffer.from(await previewResponse.arrayBuffer());
    const check = await mappingCheck(original, preview, { width: ready.state.preview.width, height: ready.state.preview.height }, ready.state.displayed);

    const manifest = {
      empty: routeJavaScript(build.dir, "/_not-found/page"),
      wizard: ["/avatar/new/page", "/avatar/new/[uploadId]/page", "/avatar/new/[uploadId]/[cropId]/page"].map((route) => routeJavaScript(build.dir, route)),
    };

    let browser: WebResults["browser"];
    let images = { bytes: Number.NaN, requests: 0 };
    try {
      const measured = await browserPages(
        appProxy.origin,
        client.cookieList(),
        [
          { page: "empty (404)", path: "/bench-no-such-page" },
          { page: "upload", path: "/avatar/new" },
          { page: "crop", path: `/avatar/new/${ready.uploadId}` },
        ],
        log,
      );
      browser = { pages: measured.pages, chromium: measured.chromium };
      images = measured.images;
    } catch (error) {
      browser = { pages: [], chromium: "not available", error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
    }

    return {
      build,
      signIn,
      step1,
      preview: {
        file: options.preview24.label,
        originalBytes: original.length,
        previewBytes: preview.length,
        previewSize: { width: ready.state.preview.width, height: ready.state.preview.height },
        displayed: ready.state.displayed,
        browserImageBytes: images.bytes,
        browserImageRequests: images.requests,
        ...check,
      },
      manifest,
      browser,
    };
  } finally {
    app.kill("SIGTERM");
    await new Promise((resolve) => (app.exitCode !== null ? resolve(undefined) : app.once("exit", resolve)));
    await appProxy.close();
    await s3Proxy.close();
  }
}
