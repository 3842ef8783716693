import { describe, expect, it } from "vitest";

import { describeS3Rejection, s3ErrorCode, uploadRequest } from "./upload-to-s3";

describe("S3 rejections in words", () => {
  it("reads the code out of S3's XML error", () => {
    expect(s3ErrorCode("<?xml version='1.0'?><Error><Code>EntityTooLarge</Code><Message>x</Message></Error>")).toBe("EntityTooLarge");
    expect(s3ErrorCode("not xml")).toBeUndefined();
  });

  it("explains a file over the limit, an expired or mismatched upload, and an unreachable storage", () => {
    expect(describeS3Rejection(400, "EntityTooLarge", "10 MB")).toMatch(/larger than allowed \(at most 10 MB/);
    expect(describeS3Rejection(403, "AccessDenied", "10 MB")).toMatch(/expired or the file did not match/);
    expect(describeS3Rejection(403, "SignatureDoesNotMatch", "10 MB")).toMatch(/expired or the file did not match/);
    expect(describeS3Rejection(0, undefined, "10 MB")).toMatch(/could not reach storage/);
    expect(describeS3Rejection(0, undefined, "10 MB", "put")).toMatch(/could not be reached, or refused the file/);
    expect(describeS3Rejection(500, "InternalError", "10 MB")).toMatch(/InternalError/);
  });
});

describe("the request a presigned upload makes", () => {
  const file = new Blob([new Uint8Array(5)], { type: "image/png" });

  it("PUTs the file itself with exactly the signed headers", () => {
    const request = uploadRequest({ method: "put", url: "https://s3.example/b/k?X-Amz-Signature=x", headers: { "Content-Type": "image/png" }, expiresAt: "" }, file);
    expect(request).toEqual({ method: "PUT", url: "https://s3.example/b/k?X-Amz-Signature=x", headers: { "Content-Type": "image/png" }, body: file });
  });

  it("POSTs a form with every signed field and the file last", () => {
    const request = uploadRequest({ method: "post", url: "https://s3.example/b", fields: { key: "k", Policy: "p" }, expiresAt: "" }, file);
    expect([request.method, request.url, request.headers]).toEqual(["POST", "https://s3.example/b", {}]);
    expect([...(request.body as FormData).keys()]).toEqual(["key", "Policy", "file"]);
  });
});
