import { request as httpRequest } from "node:http";

import { expect, test } from "@playwright/test";

import { userIdFor } from "@/lib/auth/user-id";
import { ApiUser } from "@/test/harness/api-user";

import { APP_ORIGIN, AUTH_USER_ID_KEY } from "./single/config";

/**
 * Bodies sent to what proxy.ts sees (pages, /api/auth, the stable URL): Next buffers at most 64 KiB
 * of them, and a body declared larger is refused. Next still reads the rest off the socket (and
 * drops it) before the answer goes out; nginx's client_max_body_size stops it earlier in a cluster.
 */

/** POSTs `total` bytes with their Content-Length, 16 KiB every 25 ms, until the answer comes; says how much was sent by then (all of it: see above). */
function slowPost(url: string, total: number): Promise<{ status: number; code?: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const chunk = Buffer.alloc(16 * 1024, "a");
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(total) } }, (res) => {
      clearInterval(timer);
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { error?: { code?: string } }).error?.code;
        } catch {
          code = undefined;
        }
        req.destroy();
        resolve({ status: res.statusCode ?? 0, code, sent });
      });
    });
    req.on("error", (error) => (sent > 0 ? undefined : reject(error)));
    const timer = setInterval(() => {
      if (sent >= total) return clearInterval(timer);
      req.write(chunk);
      sent += chunk.length;
    }, 25);
  });
}

test("a 1 MiB POST to a page, to /api/auth and to the stable URL is refused with 413", async () => {
  for (const path of ["/signin", "/api/auth/signin/oidc", "/avatars/0123456789abcdef0123456789ab/128"]) {
    const result = await slowPost(`${APP_ORIGIN}${path}`, 1024 * 1024);
    console.log(`1 MiB POST to ${path}: ${result.status} ${result.code ?? ""} after ${result.sent / 1024} KiB were sent`);
    expect(result, path).toMatchObject({ status: 413, code: "body_too_large" });
  }
});

test("the stable URL takes d=404 and s (the path's size) only: anything else is 400", async () => {
  const anonymous = await ApiUser.anonymous(APP_ORIGIN);
  const user = userIdFor(AUTH_USER_ID_KEY, { provider: "e2e", issuer: "urn:avatar-relay:e2e", subject: `query-${Date.now()}` });
  const base = `/avatars/${user}/128`;
  expect((await anonymous.get(`${base}?s=128`, { maxRedirects: 0 })).status()).toBe(200);
  expect((await anonymous.get(`${base}?s=128&d=404`, { maxRedirects: 0 })).status()).toBe(404);
  for (const query of ["?s=64", "?v=2", "?d=404&d=404", "?size=128", "?d=mp"]) {
    expect((await anonymous.get(`${base}${query}`, { maxRedirects: 0 })).status(), query).toBe(400);
  }
  await anonymous.dispose();
});
