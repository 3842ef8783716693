import { GetBucketCorsCommand, GetObjectCommand, PutBucketCorsCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { expect, test } from "vitest";

import { corsRules } from "@/tools/bucket/bucket-config";
import { postPolicyConditions } from "@/lib/storage/post-policy";
import { presignUploadWith } from "@/lib/storage/presign-upload";
import { postToS3, sendToS3 } from "@/test/harness/s3-post";

import { describeS3, fakeImage, httpResult, objectUrl, randomHex, useTestBucket } from "./support";

/**
 * The browser POSTs uploads to the bucket and GETs previews from it, from the app's origin. These
 * tests apply the app's corsRules() and check what a browser would be told.
 */

const APP_ORIGIN = "http://127.0.0.1:3100";
const OTHER_ORIGIN = "http://evil.example";

describeS3("CORS (corsRules)", (t) => {
  let client: S3Client;
  let bucket: string;
  useTestBucket(t, "cors", (c, b) => ([client, bucket] = [c, b]), () =>
    client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: corsRules([APP_ORIGIN]) } })),
  );

  const preflight = async (origin: string, method: string) =>
    httpResult(
      await fetch(objectUrl(t, bucket), {
        method: "OPTIONS",
        headers: { Origin: origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "content-type" },
      }),
    );

  async function presignedPost(key: string) {
    return createPresignedPost(client, {
      Bucket: bucket,
      Key: key,
      Conditions: postPolicyConditions({ key, contentType: "image/png", maxBytes: 1000 }),
      Fields: { "Content-Type": "image/png" },
      Expires: 300,
    });
  }

  async function postFrom(origin: string, post: { url: string; fields: Record<string, string> }, size: number) {
    return httpResult(await postToS3(post, fakeImage(size), "image/png", { headers: { Origin: origin } }));
  }

  test("GetBucketCors reads back exactly corsRules() (what `npm run s3:check` compares)", async () => {
    const out = await client.send(new GetBucketCorsCommand({ Bucket: bucket }));
    const rules = (out.CORSRules ?? []).map((r) => ({
      AllowedOrigins: r.AllowedOrigins,
      AllowedMethods: r.AllowedMethods,
      AllowedHeaders: r.AllowedHeaders,
      ExposeHeaders: r.ExposeHeaders,
      MaxAgeSeconds: r.MaxAgeSeconds,
    }));
    expect(rules).toEqual(corsRules([APP_ORIGIN]));
  });

  test("preflight for POST from the app's origin is allowed (2xx, Access-Control-Allow-Origin)", async () => {
    const res = await preflight(APP_ORIGIN, "POST");
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    expect(res.headers.get("access-control-allow-methods") ?? "").toContain("POST");
  });

  test("preflight from another origin is refused (403, no Access-Control-Allow-Origin)", async () => {
    const res = await preflight(OTHER_ORIGIN, "POST");
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("preflight for a method corsRules() does not allow (PUT, DELETE) is refused (403)", async () => {
    for (const method of ["PUT", "DELETE"]) {
      const res = await preflight(APP_ORIGIN, method);
      expect([method, res.status, res.headers.get("access-control-allow-origin")]).toEqual([method, 403, null]);
    }
  });

  test("the upload POST response carries Access-Control-Allow-Origin (success and refusal)", async () => {
    const key = `uploads/${randomHex(14)}/${randomHex(16)}/original`;
    const post = await presignedPost(key);
    const ok = await postFrom(APP_ORIGIN, post, 100);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    // the page must be able to read why an upload was refused
    const tooLarge = await postFrom(APP_ORIGIN, post, 1001);
    expect([tooLarge.status, tooLarge.code]).toEqual([400, "EntityTooLarge"]);
    expect(tooLarge.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
  });

  test("a presigned GET response carries Access-Control-Allow-Origin for the app's origin only", async () => {
    const key = `uploads/${randomHex(14)}/${randomHex(16)}/preview.webp`;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "preview", ContentType: "image/webp" }));
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 });
    const mine = await fetch(url, { headers: { Origin: APP_ORIGIN } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    await mine.arrayBuffer();
    const other = await fetch(url, { headers: { Origin: OTHER_ORIGIN } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    await other.arrayBuffer();
  });

  test("with S3_UPLOAD_METHOD=put: PUT preflights are allowed, POST ones refused, and a successful PUT's answer carries Access-Control-Allow-Origin", async () => {
    await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: corsRules([APP_ORIGIN], "put") } }));
    try {
      const put = await preflight(APP_ORIGIN, "PUT");
      expect([put.status < 300, put.headers.get("access-control-allow-origin")]).toEqual([true, APP_ORIGIN]);
      expect((await preflight(APP_ORIGIN, "POST")).status).toBe(403);

      const upload = await presignUploadWith(client, bucket, "put", `uploads/${randomHex(14)}/${randomHex(16)}/original`, { contentType: "image/png", size: 100, expiresIn: 300 });
      const ok = await httpResult(await sendToS3(upload, fakeImage(100), "image/png", { headers: { Origin: APP_ORIGIN } }));
      expect([ok.status, ok.headers.get("access-control-allow-origin")]).toEqual([200, APP_ORIGIN]);
      // Ceph RGW 16 answers a refused PUT (SignatureDoesNotMatch) without Access-Control-Allow-Origin:
      // the page then sees a network error, not the code (lib/client/upload-to-s3.ts words it for both).
      const refused = await httpResult(await sendToS3(upload, fakeImage(101), "image/png", { headers: { Origin: APP_ORIGIN } }));
      expect(refused.status).toBe(403);
      console.log(`a refused PUT (${refused.code}) carries Access-Control-Allow-Origin: ${refused.headers.get("access-control-allow-origin") ?? "none"}`);
    } finally {
      await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: corsRules([APP_ORIGIN]) } }));
    }
  });
});
