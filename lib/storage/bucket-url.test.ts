import { describe, expect, it } from "vitest";

import { bucketUrl, endpointOrigin, objectUrl } from "./bucket-url";

describe("bucket URLs", () => {
  it("path-style on an endpoint (Ceph, MinIO, Garage, s3rver)", () => {
    const address = { bucket: "avatars", region: "us-east-1", endpoint: "http://127.0.0.1:7480/", forcePathStyle: true };
    expect(bucketUrl(address)).toBe("http://127.0.0.1:7480/avatars");
    expect(objectUrl(address, "avatars/u/renditions/a b/64.webp")).toBe("http://127.0.0.1:7480/avatars/avatars/u/renditions/a%20b/64.webp");
    expect(endpointOrigin(address)).toBe("http://127.0.0.1:7480");
  });

  it("virtual-hosted on an endpoint (R2)", () => {
    const address = { bucket: "avatars", region: "auto", endpoint: "https://acc.r2.cloudflarestorage.com", forcePathStyle: false };
    expect(bucketUrl(address)).toBe("https://avatars.acc.r2.cloudflarestorage.com");
    expect(endpointOrigin(address)).toBe("https://acc.r2.cloudflarestorage.com");
  });

  it("AWS without an endpoint", () => {
    const address = { bucket: "avatars", region: "eu-west-1", forcePathStyle: false };
    expect(bucketUrl(address)).toBe("https://avatars.s3.eu-west-1.amazonaws.com");
    expect(endpointOrigin(address)).toBe("https://s3.eu-west-1.amazonaws.com");
  });

  it("AWS path-style, as the SDK sends it, when asked to or when the name has dots", () => {
    expect(bucketUrl({ bucket: "avatars", region: "eu-west-1", forcePathStyle: true })).toBe("https://s3.eu-west-1.amazonaws.com/avatars");
    expect(bucketUrl({ bucket: "my.avatars", region: "eu-west-1", forcePathStyle: false })).toBe("https://s3.eu-west-1.amazonaws.com/my.avatars");
  });
});
