import { describe, expect, it } from "vitest";

import { presignUploadWith } from "./presign-upload";
import { createS3Client } from "./s3-client";

/** Signing is local: no request is sent, so any endpoint and made-up credentials do. */
const client = createS3Client({
  bucket: "avatars",
  region: "us-east-1",
  endpoint: "http://127.0.0.1:9",
  forcePathStyle: true,
  accessKeyId: "test-access-key",
  secretAccessKey: "test-secret-key",
});
const key = "uploads/u/x/original";
const signing = { contentType: "image/png", size: 1234, expiresIn: 300 };

describe("presigned PUT (S3_UPLOAD_METHOD=put)", async () => {
  const upload = await presignUploadWith(client, "avatars", "put", key, signing);
  if (upload.method !== "put") throw new Error("expected a PUT");
  const url = new URL(upload.url);

  it("is a URL for the one server-chosen key", () => {
    expect(url.pathname).toBe(`/avatars/${key}`);
  });

  it("signs Content-Length and Content-Type, so the store refuses another size or type", () => {
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
    expect(upload.headers).toEqual({ "Content-Type": "image/png" });
  });

  it("expires as soon as a POST would", () => {
    expect(url.searchParams.get("X-Amz-Expires")).toBe("300");
    const left = (Date.parse(upload.expiresAt) - Date.now()) / 1000;
    expect(left).toBeGreaterThan(290);
    expect(left).toBeLessThanOrEqual(300);
  });

  it("carries no checksum of an empty body (R2, MinIO and SeaweedFS would refuse the real file)", () => {
    const names = [...url.searchParams.keys()].map((name) => name.toLowerCase());
    expect(names.filter((name) => name.includes("checksum"))).toEqual([]);
  });

  it("hoists nothing else into the URL: only the signature's own parameters", () => {
    expect([...url.searchParams.keys()].sort()).toEqual(
      ["X-Amz-Algorithm", "X-Amz-Content-Sha256", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-Signature", "X-Amz-SignedHeaders", "x-id"].sort(),
    );
  });
});

describe("presigned POST (S3_UPLOAD_METHOD=post, the default)", () => {
  it("is a form whose policy pins the key, the exact size and the type", async () => {
    const upload = await presignUploadWith(client, "avatars", "post", key, signing);
    if (upload.method !== "post") throw new Error("expected a POST");
    expect(upload.fields.key).toBe(key);
    expect(upload.fields["Content-Type"]).toBe("image/png");
    const policy = JSON.parse(Buffer.from(upload.fields.Policy!, "base64").toString("utf8")) as { conditions: unknown[] };
    expect(policy.conditions).toContainEqual(["content-length-range", 1, 1234]);
  });
});
