import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { expect, test } from "vitest";

import { describeS3, httpResult, objectUrl, sleep, useTestBucket } from "./support";

/** Previews and avatars are served by presigned GET; the bucket itself must stay private. */

const KEY = "avatars/0123456789abcdef0123456789ab/renditions/x/256.webp";
const BODY = "rendition-bytes";

describeS3("presigned GET and bucket privacy", (t) => {
  let client: S3Client;
  let bucket: string;
  useTestBucket(t, "get", (c, b) => ([client, bucket] = [c, b]), () =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: BODY, ContentType: "image/webp" })),
  );

  const presign = (options: { expiresIn: number; signingDate?: Date; contentType?: string; key?: string }) =>
    getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: options.key ?? KEY, ResponseContentType: options.contentType }), {
      expiresIn: options.expiresIn,
      signingDate: options.signingDate,
    });

  test("a valid presigned GET returns the object (200)", async () => {
    const res = await httpResult(await fetch(await presign({ expiresIn: 300 })));
    expect(res.status).toBe(200);
    expect(res.body).toBe(BODY);
    expect(res.headers.get("content-type")).toBe("image/webp");
  });

  test("the app's cache-friendly URL (signing date rounded down to the hour, response-content-type) works", async () => {
    // lib/storage/objects.ts presignGet({ expiresIn: 3600, windowSeconds: 3600, contentType })
    const window = 3600 * 1000;
    const signingDate = new Date(Math.floor(Date.now() / window) * window);
    const res = await httpResult(await fetch(await presign({ expiresIn: 7200, signingDate, contentType: "image/webp" })));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect(res.body).toBe(BODY);
  });

  test("a presigned GET of a missing key is 404 NoSuchKey", async () => {
    const res = await httpResult(await fetch(await presign({ expiresIn: 300, key: `${KEY}.missing` })));
    expect([res.status, res.code]).toEqual([404, "NoSuchKey"]);
  });

  test("an expired presigned GET is refused: 403 AccessDenied", async () => {
    const url = await presign({ expiresIn: 1 });
    await sleep(2500);
    const res = await httpResult(await fetch(url));
    expect([res.status, res.code]).toEqual([403, "AccessDenied"]);
  });

  test("a presigned GET with a tampered signature is refused: 403 SignatureDoesNotMatch", async () => {
    const url = new URL(await presign({ expiresIn: 300 }));
    const signature = url.searchParams.get("X-Amz-Signature")!;
    url.searchParams.set("X-Amz-Signature", `${signature.slice(0, -1)}${signature.endsWith("0") ? "1" : "0"}`);
    const res = await httpResult(await fetch(url));
    expect([res.status, res.code]).toEqual([403, "SignatureDoesNotMatch"]);
  });

  test("a presigned GET cannot be reused for another key (403)", async () => {
    const url = (await presign({ expiresIn: 300 })).replace("/256.webp", "/512.webp");
    const res = await httpResult(await fetch(url));
    expect([res.status, res.code]).toEqual([403, "SignatureDoesNotMatch"]);
  });

  test("an anonymous GET is refused: 403 AccessDenied (the bucket is private)", async () => {
    const res = await httpResult(await fetch(objectUrl(t, bucket, KEY)));
    expect([res.status, res.code]).toEqual([403, "AccessDenied"]);
  });

  test("an anonymous listing of the bucket is refused: 403 AccessDenied", async () => {
    const res = await httpResult(await fetch(objectUrl(t, bucket)));
    expect([res.status, res.code]).toEqual([403, "AccessDenied"]);
  });
});
