import { describe, expect, it } from "vitest";

import { HSTS, pageSecurityHeaders } from "./headers";

describe("pageSecurityHeaders", () => {
  it("lets only this origin use the camera, nothing use the microphone, location, payment or USB, and isolates the window", () => {
    const headers = pageSecurityHeaders({ contentSecurityPolicy: "default-src 'self'", secure: false });
    expect(headers["content-security-policy"]).toBe("default-src 'self'");
    expect(headers["permissions-policy"]).toBe("camera=(self), microphone=(), geolocation=(), payment=(), usb=()");
    expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(headers).not.toHaveProperty("strict-transport-security");
  });

  it("adds HSTS only behind https", () => {
    expect(pageSecurityHeaders({ contentSecurityPolicy: "x", secure: true })["strict-transport-security"]).toBe(HSTS);
  });
});
