import { createRequire } from "node:module";

import { afterEach, describe, expect, it, vi } from "vitest";

import { AppError } from "@/lib/errors";

import { appOriginFrom, isSecureOrigin } from "./app-origin";

// next-auth's own rule, from the installed version (not in its exports map, so by file).
const { detectOrigin } = createRequire(import.meta.url)("../../node_modules/next-auth/utils/detect-origin.js") as {
  detectOrigin: (forwardedHost: string | undefined, protocol: string | undefined) => string | undefined;
};

const headers = (values: Record<string, string>) => new Headers(values);

/** What next-auth makes the origin for a request with these headers and this environment. */
function nextAuthOrigin(values: Record<string, string>, env: { NEXTAUTH_URL?: string; VERCEL?: string }): string | undefined {
  vi.stubEnv("NEXTAUTH_URL", env.NEXTAUTH_URL ?? "");
  vi.stubEnv("VERCEL", env.VERCEL ?? "");
  vi.stubEnv("AUTH_TRUST_HOST", "");
  const origin = detectOrigin(values["x-forwarded-host"] ?? values.host, values["x-forwarded-proto"]);
  return origin ? new URL(origin).origin : undefined;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

const PREVIEW = "avatar-relay-git-x-myteam.vercel.app";

describe("appOriginFrom", () => {
  const requests: Record<string, string>[] = [
    { host: PREVIEW, "x-forwarded-host": PREVIEW, "x-forwarded-proto": "https" },
    { host: "internal:3000", "x-forwarded-host": PREVIEW },
    { host: PREVIEW },
    { host: "127.0.0.1:3000", "x-forwarded-proto": "http" },
    { host: "Avatars.Example.COM:443", "x-forwarded-proto": "https" },
  ];

  it("on Vercel without NEXTAUTH_URL: the forwarded host, https unless forwarded as http, exactly as next-auth derives it", () => {
    for (const request of requests) {
      expect(appOriginFrom(headers(request), { VERCEL: true }), JSON.stringify(request)).toBe(nextAuthOrigin(request, { VERCEL: "1" }));
    }
    expect(appOriginFrom(headers(requests[0]!), { VERCEL: true })).toBe(`https://${PREVIEW}`);
    expect(appOriginFrom(headers(requests[1]!), { VERCEL: true })).toBe(`https://${PREVIEW}`);
  });

  it("with NEXTAUTH_URL, on Vercel or not: NEXTAUTH_URL's origin, whatever the request says (next-auth 4.24.15 does the same)", () => {
    const settings = { NEXTAUTH_URL: "https://avatars.example.com/" };
    for (const request of requests) {
      expect(appOriginFrom(headers(request), { ...settings, VERCEL: true })).toBe("https://avatars.example.com");
      expect(appOriginFrom(headers(request), { ...settings, VERCEL: false })).toBe("https://avatars.example.com");
      expect(nextAuthOrigin(request, { ...settings, VERCEL: "1" })).toBe("https://avatars.example.com");
    }
  });

  it("elsewhere without NEXTAUTH_URL (development, tests): the request's host, http unless a proxy forwards https", () => {
    expect(appOriginFrom(headers({ host: "localhost:3000" }), { VERCEL: false })).toBe("http://localhost:3000");
    expect(appOriginFrom(headers({ host: "127.0.0.1:3100", "x-forwarded-host": "app.test", "x-forwarded-proto": "https" }), { VERCEL: false })).toBe("https://app.test");
  });

  it("refuses a host that names no origin (a path, credentials, two hosts, none)", () => {
    for (const host of ["evil.example/path", "user@evil.example", "a.example, b.example", "a.example#x", ""]) {
      expect(() => appOriginFrom(headers({ host: "ok.example", "x-forwarded-host": host }), { VERCEL: true }), host).toThrow(AppError);
    }
    expect(() => appOriginFrom(headers({}), { VERCEL: true })).toThrow(/valid host/);
  });

  it("is secure exactly when it is https", () => {
    expect(isSecureOrigin(`https://${PREVIEW}`)).toBe(true);
    expect(isSecureOrigin("http://localhost:3000")).toBe(false);
  });
});
