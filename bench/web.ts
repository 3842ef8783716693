/**
 * The browser's side, measured on a real production build (web/build.ts), `next start` behind a
 * byte-counting loopback proxy, and the app's S3 traffic behind another (web/counting-proxy.ts):
 *
 *  - step 1: what the app receives per upload (presign + finish requests, headers included) while
 *    the file goes from the client straight to S3, and what the app itself then reads from S3;
 *  - step 2: what the browser downloads to show the crop step (the preview vs the original), and
 *    the preview → original mapping on real pixels (web/mapping-check.ts);
 *  - the gzip bytes of JavaScript the wizard pages load beyond an empty page of the same app, from
 *    the build's manifests (web/route-js.ts) and as Chromium fetches them (web/browser-pages.ts).
 */
import { spawn } from "node:child_process";

import type { StartedUpload } from "@/lib/avatars/api-types";
import { presignedPostForm } from "@/lib/client/upload-to-s3";
import { waitForHealthy } from "@/tools/http";
import { closedPort } from "@/tools/ports";
import { isRunning } from "@/tools/processes";

import { loadInput, type InputSpec } from "./inputs";
import { INPUT_CACHE } from "./prepare";
import { appEnvironment } from "./s3";
import { browserPages, CROP_PAGE, EMPTY_PAGE, type PageJs } from "./web/browser-pages";
import { productionBuild, type BuildInfo } from "./web/build";
import { Client } from "./web/client";
import { countingProxy, type Proxy } from "./web/counting-proxy";
import { mappingCheck } from "./web/mapping-check";
import { EMPTY_ROUTE, routeJavaScript, WIZARD_ROUTES, type RouteJs } from "./web/route-js";

/** Files for step 1: about 1 MB and 10 MB of camera-like JPEG (q90). */
export const STEP1_FILES: readonly InputSpec[] = [
  { id: "jpeg-1mb", label: "JPEG ≈1 MB (2400×1600)", format: "jpeg", width: 2400, height: 1600, contentType: "image/jpeg" },
  { id: "jpeg-10mb", label: "JPEG ≈10 MB (7200×5400)", format: "jpeg", width: 7200, height: 5400, contentType: "image/jpeg" },
];

type Log = (line: string) => void;

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

export type WebResults = {
  build: BuildInfo;
  signIn: { appReceived: number; appSent: number };
  step1: Step1Row[];
  preview?: PreviewCheck;
  manifest: { empty: RouteJs; wizard: RouteJs[] };
  browser?: { pages: PageJs[]; chromium: string; error?: string };
};

/** The browser's request, encoded here so it has a Content-Length like a browser's (not a chunked stream); and its body's size. */
async function sendDirect(upload: StartedUpload["upload"], url: string, bytes: Buffer, contentType: string): Promise<{ s3: Response; sent: number }> {
  if (upload.method === "put") return { s3: await fetch(url, { method: "PUT", body: new Uint8Array(bytes), headers: upload.headers }), sent: bytes.length };
  const encoded = new Response(presignedPostForm(upload.fields, new Blob([new Uint8Array(bytes)], { type: contentType }), "upload"));
  const formBody = Buffer.from(await encoded.arrayBuffer());
  const s3 = await fetch(url, { method: "POST", body: formBody, headers: { "content-type": encoded.headers.get("content-type")! } });
  return { s3, sent: formBody.length };
}

async function uploadThroughApp(client: Client, appProxy: Proxy, s3Proxy: Proxy, s3Direct: string, bytes: Buffer, contentType: string) {
  const before = { ...appProxy.counter };
  const s3Before = { ...s3Proxy.counter };
  const presign = await client.request("/api/uploads", { json: { contentType, size: bytes.length } });
  if (presign.status !== 201) throw new Error(`presign answered ${presign.status}: ${await presign.text()}`);
  const { uploadId, upload } = (await presign.json()) as StartedUpload;
  // The browser's upload goes to S3 itself, not through the app (nor through the app's S3 proxy).
  const url = new URL(upload.url);
  const direct = new URL(url.pathname + url.search, s3Direct).toString();
  const { s3, sent } = await sendDirect(upload, direct, bytes, contentType);
  await s3.arrayBuffer();
  if (s3.status >= 300) throw new Error(`S3 ${upload.method.toUpperCase()} answered ${s3.status}`);
  const finish = await client.request(`/api/uploads/${uploadId}/finish`, { method: "POST" });
  const state = (await finish.json()) as { status: string; displayed: { width: number; height: number }; preview: { url: string; width: number; height: number } };
  if (finish.status !== 200) throw new Error(`finish answered ${finish.status}: ${JSON.stringify(state)}`);
  return {
    uploadId,
    state,
    row: {
      appReceived: appProxy.counter.up - before.up,
      appSent: appProxy.counter.down - before.down,
      clientToS3: sent,
      appFromS3: s3Proxy.counter.down - s3Before.down,
      appToS3: s3Proxy.counter.up - s3Before.up,
    },
  };
}

export async function measureWeb(options: { s3Endpoint: string; log: Log; preview24: InputSpec }): Promise<WebResults> {
  const { log } = options;
  const build = productionBuild(log);
  const s3Port = Number(new URL(options.s3Endpoint).port);
  const s3Proxy = await countingProxy(s3Port);
  const appPort = await closedPort();
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
    await waitForHealthy({ url: `http://127.0.0.1:${appPort}`, get running() { return isRunning(app); } }, 60_000);
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
      empty: routeJavaScript(build.dir, EMPTY_ROUTE),
      wizard: WIZARD_ROUTES.map((route) => routeJavaScript(build.dir, route)),
    };

    let browser: WebResults["browser"];
    let images = { bytes: Number.NaN, requests: 0 };
    try {
      const measured = await browserPages(
        appProxy.origin,
        client.cookieList(),
        [
          { page: EMPTY_PAGE, path: "/bench-no-such-page" },
          { page: "upload", path: "/avatar/new" },
          { page: CROP_PAGE, path: `/avatar/new/${ready.uploadId}` },
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
