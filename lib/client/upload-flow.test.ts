import { describe, expect, it } from "vitest";

import type { ReadyUpload, StartedUpload } from "@/lib/avatars/api-types";

import { ApiError } from "./api";
import type { PreparedUpload, Shown } from "./shrink-image";
import { uploadPicture, type UploadDeps, type UploadEvents, type UploadSettings } from "./upload-flow";

const SETTINGS: UploadSettings = { maxBytes: 1000, clientResize: true, earlyCrop: true };
const STARTED: StartedUpload = { uploadId: "u".repeat(32), upload: { method: "put", url: "http://s3.test/k", headers: {}, expiresAt: "2026-12-07T00:05:00.000Z" }, maxBytes: 1000 };
const READY: ReadyUpload = { uploadId: STARTED.uploadId, status: "ready", displayed: { width: 40, height: 30 }, format: "jpeg", bytes: 100, preview: { url: "http://s3.test/p", width: 40, height: 30 } };
const picture = (bytes = 100, type = "image/jpeg") => new File([new Uint8Array(bytes)], "me.jpg", { type });

/** Runs the flow with stand-ins for the network, recording every event in order. */
async function run(file: File, options: { settings?: Partial<UploadSettings>; prepared?: (file: File, onShown: (shown: Shown) => void) => PreparedUpload | Promise<PreparedUpload>; send?: UploadDeps["send"]; finish?: () => Promise<ReadyUpload>; abort?: AbortController } = {}) {
  const log: string[] = [];
  let background: Promise<ReadyUpload | null> | undefined;
  const controller = options.abort ?? new AbortController();
  const deps: UploadDeps = {
    api: {
      startUpload: async (input) => (log.push(`start ${input.contentType} ${input.size}`), STARTED),
      finishUpload: async () => (log.push("finish"), options.finish ? options.finish() : READY),
    },
    prepare: options.prepared && (async (f, onShown) => options.prepared!(f, onShown)),
    send: options.send ?? (async (_upload, f, { onProgress }) => (onProgress({ sent: f.size, total: f.size }), undefined)),
  };
  const events: UploadEvents = {
    preparing: () => log.push("preparing"),
    uploading: (_f, p) => log.push(`uploading ${p.sent}/${p.total}`),
    checking: () => log.push("checking"),
    ready: (id) => log.push(`ready ${id === STARTED.uploadId}`),
    cropWhileUploading: (shown, checked) => (log.push(`crop step ${shown.size.width}×${shown.size.height}`), (background = checked)),
    backgroundStarted: (started, f) => log.push(`started ${started.uploadId === STARTED.uploadId} ${f.size}`),
    backgroundProgress: (_f, p) => log.push(`background ${p.sent}/${p.total}`),
    backgroundChecking: () => log.push("background checking"),
    refused: (message) => log.push(`refused: ${message}`),
  };
  await uploadPicture(file, { ...SETTINGS, ...options.settings }, deps, events, controller.signal);
  const checked = background ? await background : undefined;
  return { log, checked };
}

const decoded = (f: File): PreparedUpload => ({ kind: "original", file: f, size: { width: 40, height: 30 } });

describe("uploadPicture", () => {
  it("refuses what is not a picture, is empty or over the limit before anything is sent", async () => {
    expect((await run(picture(10, "text/html"))).log).toEqual([expect.stringMatching(/^refused: "me.jpg" is not a supported picture/)]);
    expect((await run(picture(0))).log).toEqual(['refused: "me.jpg" is empty.']);
    expect((await run(picture(6000))).log).toEqual([expect.stringMatching(/^refused: "me.jpg" .*(large|limit)/i)]);
  });

  it("without the early crop step: uploads, checks, then the crop page", async () => {
    const { log } = await run(picture(), { settings: { earlyCrop: false }, prepared: decoded });
    expect(log).toEqual(["preparing", "uploading 0/100", "start image/jpeg 100", "uploading 100/100", "checking", "finish", "ready true"]);
  });

  it("with it: the crop step takes over at once, and the file uploads and is checked behind it", async () => {
    const { log, checked } = await run(picture(), { prepared: decoded });
    expect(log).toEqual(["preparing", "crop step 40×30", "start image/jpeg 100", "started true 100", "background 100/100", "background checking", "finish"]);
    expect(checked).toEqual(READY);
  });

  it("with a copy to make: the crop step as soon as the picture is shown, before the copy, the presign and the upload", async () => {
    let made!: (prepared: PreparedUpload) => void;
    const copy = new File([new Uint8Array(60)], "me.jpg", { type: "image/webp" });
    const running = run(picture(), {
      prepared: (_f, onShown) => {
        onShown({ blob: new Blob([new Uint8Array(5)]), size: { width: 20, height: 15 } });
        return new Promise((resolve) => (made = resolve));
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    made({ kind: "copy", file: copy, size: { width: 40, height: 30 } });
    const { log, checked } = await running;
    expect(log).toEqual(["preparing", "crop step 20×15", "start image/webp 60", "started true 60", "background 60/60", "background checking", "finish"]);
    expect(checked).toEqual(READY);
  });

  it("a cancel while the copy is still being made ends quietly: nothing presigned, nothing said", async () => {
    const abort = new AbortController();
    const running = run(picture(), {
      abort,
      prepared: (f, onShown) => {
        onShown({ blob: new Blob([new Uint8Array(5)]), size: { width: 20, height: 15 } });
        // The worker is disposed on abort and answers "failed", which prepareUpload turns into "opaque".
        return new Promise((resolve) => abort.signal.addEventListener("abort", () => resolve({ kind: "opaque", file: f, reason: "disposed" })));
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();
    const { log, checked } = await running;
    expect(log).toEqual(["preparing", "crop step 20×15"]);
    expect(checked).toBeNull();
  });

  it("a copy still over the limit behind the crop step goes back with the limit's sentence", async () => {
    const { log, checked } = await run(picture(3000), {
      prepared: (f, onShown) => (onShown({ blob: new Blob([new Uint8Array(5)]), size: { width: 20, height: 15 } }), { kind: "opaque", file: f, reason: "encode failed" }),
      settings: { maxBytes: 1000 },
    });
    expect(log).toEqual(["preparing", "crop step 20×15", expect.stringMatching(/^refused: "me.jpg" /)]);
    expect(checked).toBeNull();
  });

  it("a picture the browser cannot decode takes the flow without the early crop step", async () => {
    const { log } = await run(picture(), { prepared: (f) => ({ kind: "opaque", file: f, reason: "no decoder" }) });
    expect(log.at(-1)).toBe("ready true");
    expect(log.some((line) => line.startsWith("crop step"))).toBe(false);
  });

  it("a check that fails behind the crop step goes back with the server's sentence", async () => {
    const { log, checked } = await run(picture(), { prepared: decoded, finish: async () => Promise.reject(new ApiError("That file is not a picture we can read.", 422, "not_an_image")) });
    expect(log.at(-1)).toBe("refused: That file is not a picture we can read.");
    expect(checked).toBeNull();
  });

  it("says nothing when the user left the crop step (aborted) while it uploaded", async () => {
    const abort = new AbortController();
    const send: UploadDeps["send"] = (_u, _f, { signal }) =>
      new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(new DOMException("Aborted", "AbortError"))));
    const running = run(picture(), { prepared: decoded, send, abort });
    await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();
    const { log, checked } = await running;
    expect(log.some((line) => line.startsWith("refused"))).toBe(false);
    expect(checked).toBeNull();
  });

  it("a cancelled upload without the early crop step says so", async () => {
    const abort = new AbortController();
    const send: UploadDeps["send"] = (_u, _f, { signal }) =>
      new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(new DOMException("Aborted", "AbortError"))));
    const running = run(picture(), { settings: { earlyCrop: false }, send, abort });
    await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();
    expect((await running).log.at(-1)).toBe("refused: Upload cancelled.");
  });

  it("the limit applies to what is uploaded: a copy still over it is refused", async () => {
    const { log } = await run(picture(3000), { prepared: (f) => ({ kind: "original", file: f, size: { width: 40, height: 30 } }) });
    expect(log).toEqual(["preparing", expect.stringMatching(/^refused: "me.jpg" /)]);
  });
});
