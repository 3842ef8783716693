import { describe, expect, it } from "vitest";

import nextConfig from "@/next.config.mjs";

import { PROXY_BODY_LIMIT_BYTES, refuseLargeBody } from "./proxy-body";

describe("the proxy's body limit", () => {
  it("is what next.config.mjs tells Next to buffer at most", () => {
    expect(nextConfig.experimental?.proxyClientMaxBodySize).toBe(PROXY_BODY_LIMIT_BYTES);
  });

  it("refuses a declared length over 64 KiB with 413, and lets the rest through", () => {
    expect(refuseLargeBody(String(64 * 1024 + 1))).toMatchObject({ code: "body_too_large", status: 413, message: /64 KiB/ });
    expect(refuseLargeBody(String(10 * 1024 * 1024))).toMatchObject({ status: 413 });
    expect(refuseLargeBody(String(64 * 1024))).toBeUndefined();
    expect(refuseLargeBody(null)).toBeUndefined();
    expect(refuseLargeBody("nonsense")).toBeUndefined();
  });
});
