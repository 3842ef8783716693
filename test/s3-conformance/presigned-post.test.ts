import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { expect, test } from "vitest";

import { presignUploadWith } from "@/lib/storage/presign-upload";
import { postToS3 } from "@/test/harness/s3-post";

import { describeS3, fakeImage, httpResult, randomHex, sdkError, sleep, type HttpResult, useTestBucket, objectExists } from "./support";

/**
 * Browser uploads (S3_UPLOAD_METHOD=post, the default): the app signs a POST policy with
 * postPolicyConditions() and the browser sends the file straight to S3. These tests pin that S3 itself enforces every condition (key, size, type,
 * expiry, signature, no extra fields); the app's finish step re-checks, but S3 is the first wall.
 */

const MAX_BYTES = 1000;
const CONTENT_TYPE = "image/png";

type Post = { url: string; fields: Record<string, string> };

describeS3("presigned POST (postPolicyConditions)", (t) => {
  let client: S3Client;
  let bucket: string;
  useTestBucket(t, "post", (c, b) => ([client, bucket] = [c, b]));

  const newKey = () => `uploads/${randomHex(14)}/${randomHex(16)}/original`;

  /** Exactly what lib/storage/objects.ts presignUpload("post", ...) does; the announced size is the most S3 accepts. */
  async function presign(key: string, options: { expires?: number; contentType?: string; maxBytes?: number } = {}): Promise<Post> {
    const upload = await presignUploadWith(client, bucket, "post", key, { contentType: options.contentType ?? CONTENT_TYPE, size: options.maxBytes ?? MAX_BYTES, expiresIn: options.expires ?? 300 });
    if (upload.method !== "post") throw new Error("expected a presigned POST");
    return upload;
  }

  /** What the browser does: every signed field (optionally changed), then the file last. */
  async function upload(post: Post, file: Uint8Array<ArrayBuffer>, change: Record<string, string> = {}): Promise<HttpResult> {
    return httpResult(await postToS3(post, file, post.fields["Content-Type"] ?? CONTENT_TYPE, { change }));
  }

  const exists = (key: string) => objectExists(client, bucket, key);

  test("a valid upload is accepted (204) and stored with its size and Content-Type", async () => {
    const key = newKey();
    const res = await upload(await presign(key), fakeImage(700));
    expect(res.status).toBe(204);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBe(700);
    expect(head.ContentType).toBe(CONTENT_TYPE);
    const body = await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
    expect(Buffer.from(body).equals(Buffer.from(fakeImage(700)))).toBe(true);
  });

  test("a file of exactly maxBytes is accepted (the range is inclusive)", async () => {
    const key = newKey();
    expect((await upload(await presign(key), fakeImage(MAX_BYTES))).status).toBe(204);
    expect(await exists(key)).toBe(true);
  });

  test("a file over maxBytes is refused: 400 EntityTooLarge, nothing written", async () => {
    const key = newKey();
    const res = await upload(await presign(key), fakeImage(MAX_BYTES + 1));
    expect([res.status, res.code]).toEqual([400, "EntityTooLarge"]);
    expect(await exists(key)).toBe(false);
  });

  test("an empty file is refused: 400 EntityTooSmall (the range starts at 1)", async () => {
    const key = newKey();
    const res = await upload(await presign(key), fakeImage(0));
    expect([res.status, res.code]).toEqual([400, "EntityTooSmall"]);
    expect(await exists(key)).toBe(false);
  });

  test("a Content-Type other than the signed one is refused: 403 AccessDenied", async () => {
    const key = newKey();
    const post = await presign(key);
    // image/jpeg passes `starts-with image/` but not the exact Content-Type condition
    for (const contentType of ["image/jpeg", "text/html"]) {
      const res = await upload(post, fakeImage(100), { "Content-Type": contentType });
      expect([contentType, res.status, res.code]).toEqual([contentType, 403, "AccessDenied"]);
    }
    expect(await exists(key)).toBe(false);
  });

  test("a key other than the signed one is refused: 403 AccessDenied, nothing written", async () => {
    const key = newKey();
    const other = newKey();
    const res = await upload(await presign(key), fakeImage(100), { key: other });
    expect([res.status, res.code]).toEqual([403, "AccessDenied"]);
    expect(await exists(other)).toBe(false);
    expect(await exists(key)).toBe(false);
  });

  test("an expired policy is refused: 403 AccessDenied", async () => {
    const key = newKey();
    const post = await presign(key, { expires: 1 });
    await sleep(2500);
    const res = await upload(post, fakeImage(100));
    expect([res.status, res.code]).toEqual([403, "AccessDenied"]);
    expect(await exists(key)).toBe(false);
  });

  test("a tampered policy (bigger size limit, old signature) is refused: 403", async () => {
    const key = newKey();
    const post = await presign(key);
    const policy = JSON.parse(Buffer.from(post.fields.Policy!, "base64").toString("utf8")) as { conditions: unknown[] };
    policy.conditions = policy.conditions.map((c) => (Array.isArray(c) && c[0] === "content-length-range" ? [c[0], c[1], 10 * MAX_BYTES] : c));
    const tampered = Buffer.from(JSON.stringify(policy)).toString("base64");
    const res = await upload(post, fakeImage(5 * MAX_BYTES), { Policy: tampered });
    expect(res.status).toBe(403);
    // AWS answers SignatureDoesNotMatch, Ceph RGW AccessDenied: both are a refusal of the signature.
    expect(["SignatureDoesNotMatch", "AccessDenied"]).toContain(res.code);
    expect(await exists(key)).toBe(false);
  });

  test("a form field that is not in the policy is refused: 403 AccessDenied", async () => {
    const key = newKey();
    const res = await upload(await presign(key), fakeImage(100), { "x-amz-meta-owner": "someone-else" });
    expect([res.status, res.code]).toEqual([403, "AccessDenied"]);
    expect(await exists(key)).toBe(false);
  });

  test("a refused upload leaves an existing object under that key untouched", async () => {
    const key = newKey();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(fakeImage(300)), ContentType: CONTENT_TYPE }));
    const post = await presign(key);
    expect((await upload(post, fakeImage(MAX_BYTES + 1))).status).toBe(400);
    expect((await upload(post, fakeImage(100), { "Content-Type": "text/html" })).status).toBe(403);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect([head.ContentLength, head.ContentType]).toEqual([300, CONTENT_TYPE]);
  });

  test("HeadObject of a key nobody uploaded to is 404 NotFound (what the finish step sees)", async () => {
    expect(await sdkError(client.send(new HeadObjectCommand({ Bucket: bucket, Key: newKey() })))).toEqual({ status: 404, name: "NotFound" });
  });
});
