import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { expect, test } from "vitest";

import { presignUploadWith } from "@/lib/storage/presign-upload";
import type { PresignedPut } from "@/lib/storage/upload-target";

import { describeS3, fakeImage, httpResult, objectExists, randomHex, sleep, type HttpResult, useTestBucket } from "./support";

/**
 * Browser uploads with S3_UPLOAD_METHOD=put (stores without POST, such as R2): the app signs a
 * PutObject URL for one key with Content-Length and Content-Type among the signed headers. These
 * tests pin that the store itself refuses another size, type, key or an expired URL. Each refusal's
 * status and code is logged: they differ between stores (SignatureDoesNotMatch or AccessDenied).
 */

const CONTENT_TYPE = "image/png";
const SIZE = 700;

describeS3("presigned PUT (S3_UPLOAD_METHOD=put)", (t) => {
  let client: S3Client;
  let bucket: string;
  useTestBucket(t, "put", (c, b) => ([client, bucket] = [c, b]));

  const newKey = () => `uploads/${randomHex(14)}/${randomHex(16)}/original`;
  const exists = (key: string) => objectExists(client, bucket, key);

  /** Exactly what lib/storage/objects.ts presignUpload("put", ...) does. */
  async function presign(key: string, options: { expiresIn?: number; size?: number } = {}): Promise<PresignedPut> {
    const upload = await presignUploadWith(client, bucket, "put", key, { contentType: CONTENT_TYPE, size: options.size ?? SIZE, expiresIn: options.expiresIn ?? 300 });
    if (upload.method !== "put") throw new Error("expected a presigned PUT");
    return upload;
  }

  /** What the browser does: the file as the body, with the signed headers (optionally changed). */
  async function put(url: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string>): Promise<HttpResult> {
    return httpResult(await fetch(url, { method: "PUT", body, headers }));
  }

  /** A refusal: a 4xx, with the store's status and code in the log for the record. */
  function expectRefused(what: string, res: HttpResult): void {
    console.log(`presigned PUT, ${what}: ${res.status} ${res.code ?? "(no code)"}`);
    expect([what, res.status >= 400 && res.status < 500]).toEqual([what, true]);
  }

  test("the URL carries no checksum parameter, and signs Content-Length and Content-Type", async () => {
    const url = new URL((await presign(newKey())).url);
    expect([...url.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
  });

  test("the announced file is accepted (200) and stored with its size and Content-Type", async () => {
    const key = newKey();
    const upload = await presign(key);
    const res = await put(upload.url, fakeImage(SIZE), upload.headers);
    expect(res.status, res.body).toBe(200);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect([head.ContentLength, head.ContentType]).toEqual([SIZE, CONTENT_TYPE]);
    const body = await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
    expect(Buffer.from(body).equals(Buffer.from(fakeImage(SIZE)))).toBe(true);
  });

  test("a longer body than signed is refused, nothing written", async () => {
    const key = newKey();
    const upload = await presign(key);
    expectRefused("a longer body", await put(upload.url, fakeImage(SIZE + 1), upload.headers));
    expect(await exists(key)).toBe(false);
  });

  test("a shorter body than signed is refused, nothing written", async () => {
    const key = newKey();
    const upload = await presign(key);
    expectRefused("a shorter body", await put(upload.url, fakeImage(SIZE - 1), upload.headers));
    expect(await exists(key)).toBe(false);
  });

  test("another Content-Type than signed is refused, nothing written", async () => {
    const key = newKey();
    const upload = await presign(key);
    for (const contentType of ["image/jpeg", "text/html"]) {
      expectRefused(`Content-Type ${contentType}`, await put(upload.url, fakeImage(SIZE), { ...upload.headers, "Content-Type": contentType }));
    }
    expect(await exists(key)).toBe(false);
  });

  test("another key than signed is refused, nothing written under either", async () => {
    const key = newKey();
    const other = newKey();
    const upload = await presign(key);
    const url = new URL(upload.url);
    url.pathname = url.pathname.replace(key, other);
    expectRefused("another key", await put(url.toString(), fakeImage(SIZE), upload.headers));
    expect(await exists(other)).toBe(false);
    expect(await exists(key)).toBe(false);
  });

  test("an expired URL is refused, nothing written", async () => {
    const key = newKey();
    const upload = await presign(key, { expiresIn: 1 });
    await sleep(2500);
    expectRefused("an expired URL", await put(upload.url, fakeImage(SIZE), upload.headers));
    expect(await exists(key)).toBe(false);
  });

  test("a refused PUT leaves an existing object under that key untouched", async () => {
    const key = newKey();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(fakeImage(300)), ContentType: CONTENT_TYPE }));
    const upload = await presign(key);
    expect((await put(upload.url, fakeImage(SIZE + 5), upload.headers)).status).toBeGreaterThanOrEqual(400);
    expect((await put(upload.url, fakeImage(SIZE), { "Content-Type": "text/html" })).status).toBeGreaterThanOrEqual(400);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect([head.ContentLength, head.ContentType]).toEqual([300, CONTENT_TYPE]);
  });
});
