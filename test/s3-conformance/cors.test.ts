import { GetBucketCorsCommand, GetObjectCommand, PutBucketCorsCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { expect, test } from "vitest";

import { corsRules } from "@/lib/storage/bucket-config";
import { postPolicyConditions } from "@/lib/storage/post-policy";
import { postToS3 } from "@/test/harness/s3-post";

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
    const key = `uploads/${randomHex(12)}/${randomHex(16)}/original`;
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
    const key = `uploads/${randomHex(12)}/${randomHex(16)}/preview.webp`;
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
});
