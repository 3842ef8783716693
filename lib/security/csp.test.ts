import { describe, expect, it } from "vitest";

import { contentSecurityPolicy, s3BrowserOrigins } from "./csp";

describe("contentSecurityPolicy", () => {
  const policy = contentSecurityPolicy({ nonce: "abc123", s3Origins: ["http://127.0.0.1:4569"], imageOrigins: ["https://cdn.example.com"], development: false });

  it("allows scripts only with this request's nonce, and no eval in production", () => {
    expect(policy).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).not.toContain("unsafe-eval");
  });

  it("lets the browser POST to S3 and show S3 and CDN pictures, and nothing else cross-origin", () => {
    expect(policy).toContain("connect-src 'self' http://127.0.0.1:4569");
    expect(policy).toContain("img-src 'self' data: blob: http://127.0.0.1:4569 https://cdn.example.com");
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("worker-src 'self';");
  });

  it("refuses framing, plugins and foreign form targets", () => {
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("form-action 'self'");
  });
});

describe("s3BrowserOrigins", () => {
  it("uses the endpoint's origin for path-style S3s", () => {
    expect(s3BrowserOrigins({ bucket: "b", region: "auto", endpoint: "http://127.0.0.1:7480/", forcePathStyle: true })).toEqual(["http://127.0.0.1:7480"]);
  });
  it("adds the bucket's virtual host otherwise, and knows AWS's hosts", () => {
    expect(s3BrowserOrigins({ bucket: "b", region: "auto", endpoint: "https://acc.r2.cloudflarestorage.com", forcePathStyle: false })).toEqual([
      "https://b.acc.r2.cloudflarestorage.com",
      "https://acc.r2.cloudflarestorage.com",
    ]);
  });
  it("names only the bucket on AWS, never the shared regional endpoint every bucket answers on", () => {
    expect(s3BrowserOrigins({ bucket: "b", region: "eu-west-1", forcePathStyle: false })).toEqual(["https://b.s3.eu-west-1.amazonaws.com"]);
    // Path-style (asked for, or a dotted name): the bucket's path, exactly (the POST) and below it (the pictures).
    expect(s3BrowserOrigins({ bucket: "my.b", region: "eu-west-1", forcePathStyle: false })).toEqual([
      "https://s3.eu-west-1.amazonaws.com/my.b",
      "https://s3.eu-west-1.amazonaws.com/my.b/",
    ]);
    expect(s3BrowserOrigins({ bucket: "b", region: "eu-west-1", forcePathStyle: true })).toEqual([
      "https://s3.eu-west-1.amazonaws.com/b",
      "https://s3.eu-west-1.amazonaws.com/b/",
    ]);
  });
});
