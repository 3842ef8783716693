import http from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { snapshotEnv } from "@/tools/app-env";
import { startThrowawayS3, type EmbeddedS3 } from "@/tools/embedded-s3";

/**
 * The app's S3 traffic, seen on the wire: which requests crop and save make, and how the app copes
 * with S3s that differ. This file runs its own S3 server behind a small HTTP proxy on loopback that
 * records every request and, when told to, answers a multi-object delete (POST /?delete) the way
 * S3s that insist on Content-MD5 do. Everything else reaches the real server. The env is set before
 * any app module reads it (each test file has its own module registry).
 */

const restoreEnv = snapshotEnv();
let s3: EmbeddedS3;
let proxy: http.Server;
/** Requests the proxy saw: "DeleteObjects", "COPY <key>", or the method and the key ("DELETE uploads/a/original"). */
const seen: string[] = [];
let refuseBatchDeletes = false;
/** How many of the next copies are answered 500 InternalError, as s3rver does for two copies to one key at once. */
let failCopies = 0;

const INTERNAL_ERROR = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>';

const MISSING_MD5 =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidRequest</Code><Message>Missing required header for this request: Content-MD5</Message></Error>';

function startProxy(target: URL): Promise<string> {
  proxy = http.createServer((req, res) => {
    const isBatchDelete = req.method === "POST" && /[?&]delete(=|&|$)/.test(req.url ?? "");
    const key = decodeURIComponent(new URL(req.url ?? "/", "http://s3").pathname).replace(/^\/compat\/?/, "");
    const copy = req.headers["x-amz-copy-source"] ? "COPY " : "";
    seen.push(isBatchDelete ? "DeleteObjects" : `${copy || `${req.method} `}${key}`.trim());
    if (copy && failCopies > 0) {
      failCopies--;
      req.resume();
      res.writeHead(500, { "content-type": "application/xml" }).end(INTERNAL_ERROR);
      return;
    }
    if (isBatchDelete && refuseBatchDeletes) {
      req.resume();
      res.writeHead(400, { "content-type": "application/xml" }).end(MISSING_MD5);
      return;
    }
    // The Host header is passed on unchanged: the request was signed for it.
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => proxy.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`)));
}

const objects = () => import("@/lib/storage/objects");

beforeAll(async () => {
  s3 = await startThrowawayS3({ tag: "compat" });
  const endpoint = await startProxy(new URL(s3.endpoint));
  Object.assign(process.env, { S3_ENDPOINT: endpoint, S3_BUCKET: "compat" });
  const { ensureBucket } = await import("./helpers");
  await ensureBucket();
});

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await s3.close();
  restoreEnv();
});

async function putSome(prefix: string, names: string[]): Promise<void> {
  const { putObject } = await objects();
  await Promise.all(names.map((name) => putObject(`${prefix}${name}`, name, { contentType: "text/plain" })));
}

// First: the fallback test below switches this module's batch deletes off for good.
describe("the round trips of crop and save (what bench/results/latest.md counts)", () => {
  it("crop: HEAD checked + GET original + LIST its crops + 4 PUTs; save: LIST the history (AVATARS_PER_USER) + 4 copies + HEAD of the crop's placeholder + history + pointer; after the answer: LIST + one delete", async () => {
    const sharp = (await import("sharp")).default;
    const { photoLike } = await import("@/test/harness/images");
    const { startUpload } = await import("@/lib/avatars/start-upload");
    const { finishUpload } = await import("@/lib/avatars/finish-upload");
    const { cropUpload } = await import("@/lib/avatars/crop");
    const { saveAvatar } = await import("@/lib/avatars/save");
    const { newTestUser, sendToS3 } = await import("./helpers");
    const user = newTestUser();
    const bytes = await sharp(await photoLike(900, 700, 2)).jpeg().toBuffer();
    const started = await startUpload(user, { contentType: "image/jpeg", size: bytes.length });
    expect((await sendToS3(started.upload, bytes, "image/jpeg")).status).toBeLessThan(300);
    await finishUpload(user, started.uploadId);
    const upload = `uploads/${user}/${started.uploadId}/`;
    // Retries (s3rver's occasional 500) repeat a request; the set of distinct requests is the claim.
    const distinct = () => new Set(seen);

    seen.length = 0;
    const crop = await cropUpload(user, started.uploadId, { left: 0, top: 0, width: 600, height: 600, rotation: 0 });
    const sizes = [512, 256, 128, 64];
    // The LIST counts the upload's crops (CROPS_PER_UPLOAD).
    expect(distinct()).toEqual(new Set([`HEAD ${upload}checked`, `GET ${upload}original`, "GET", ...sizes.map((size) => `PUT ${upload}crops/${crop.cropId}/${size}.webp`)]));

    seen.length = 0;
    const deferred: (() => Promise<void>)[] = [];
    await saveAvatar(user, started.uploadId, crop.cropId, { runAfterResponse: (task) => void deferred.push(task) });
    const avatars = `avatars/${user}/`;
    expect(distinct()).toEqual(
      new Set([
        "GET", // the saved avatars counted, before the copies and again after the history record
        ...sizes.map((size) => `COPY ${avatars}renditions/${crop.cropId}/${size}.webp`),
        `HEAD ${upload}crops/${crop.cropId}/64.webp`, // its ThumbHash, read while the copies run
        `PUT ${avatars}history/${crop.cropId}.json`,
        `PUT ${avatars}current.json`,
      ]),
    );

    seen.length = 0;
    await deferred[0]!();
    expect(distinct()).toEqual(new Set(["GET", "DeleteObjects"]));
  });
});

// s3rver answers some deletes right after writes in the same folder with a 500 (its file store
// races on removing folders); the SDK's retry repeats those, so requests are counted per kind and
// key rather than as an exact sequence.
const batches = () => seen.filter((request) => request === "DeleteObjects").length;
const singleDeletes = () => new Set(seen.filter((request) => request.startsWith("DELETE ")));

describe("a copy S3 answers with 500 InternalError (two saves of one crop at once, on s3rver)", () => {
  it("is tried again after a pause, and succeeds once S3 copies it", async () => {
    const { copyObject, getObjectBytes, putObject } = await objects();
    await putObject("uploads/d/crops/x/64.webp", Buffer.from("rendition"), { contentType: "image/webp" });
    seen.length = 0;
    failCopies = 3; // three 500s in a row; the SDK sends each try twice, so the copy lands on the 4th request
    await expect(copyObject("uploads/d/crops/x/64.webp", "avatars/d/renditions/x/64.webp", { contentType: "image/webp" })).resolves.toBe(true);
    expect(seen.filter((entry) => entry.startsWith("COPY "))).toHaveLength(4);
    expect((await getObjectBytes("avatars/d/renditions/x/64.webp", 1024))?.toString()).toBe("rendition");
  });

  it("gives up after four tries with storage_unavailable (503), not an unknown error", async () => {
    const { copyObject } = await objects();
    failCopies = 100;
    try {
      await expect(copyObject("uploads/d/crops/x/64.webp", "avatars/d/renditions/y/64.webp", { contentType: "image/webp" })).rejects.toMatchObject({ code: "storage_unavailable", status: 503 });
    } finally {
      failCopies = 0;
    }
  });
});

describe("deleting many objects (the upload's cleanup, deleting an avatar)", () => {
  it("uses one DeleteObjects request where S3 takes it", async () => {
    const { deletePrefix, listKeys } = await objects();
    await putSome("uploads/a/", ["original", "preview.webp", "crops/x/512.webp", "crops/x/64.webp"]);
    seen.length = 0;
    await deletePrefix("uploads/a/");
    expect(batches()).toBeGreaterThanOrEqual(1);
    expect(singleDeletes()).toEqual(new Set());
    expect((await listKeys("uploads/a/")).keys).toEqual([]);
  });

  it("falls back to one DeleteObject per key when S3 refuses it (400, wants Content-MD5), and stops trying it", async () => {
    const { deletePrefix, listKeys } = await objects();
    refuseBatchDeletes = true;
    try {
      await putSome("uploads/b/", ["original", "preview.webp", "crops/x/512.webp"]);
      seen.length = 0;
      await deletePrefix("uploads/b/");
      expect(batches()).toBe(1); // refused once (a 400 is not retried)
      expect(singleDeletes()).toEqual(new Set(["DELETE uploads/b/original", "DELETE uploads/b/preview.webp", "DELETE uploads/b/crops/x/512.webp"]));
      expect((await listKeys("uploads/b/")).keys).toEqual([]);

      await putSome("uploads/c/", ["original", "preview.webp"]);
      seen.length = 0;
      await deletePrefix("uploads/c/");
      expect(batches()).toBe(0);
      expect(singleDeletes()).toEqual(new Set(["DELETE uploads/c/original", "DELETE uploads/c/preview.webp"]));
      expect((await listKeys("uploads/c/")).keys).toEqual([]);
    } finally {
      refuseBatchDeletes = false;
    }
  });
});
