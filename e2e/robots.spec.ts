import { readFileSync } from "node:fs";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { ROOT } from "@/tools/paths";

import { appRoutePaths, robotsAllows } from "./support/robots";
import { expectServedAsStaticFile } from "./support/static-file";

/**
 * /robots.txt of the production build (`next start`): public/robots.txt sent as a static file,
 * with the security headers every answer carries, and rules that keep crawlers off the wizard, the
 * sign-in page and the API and let them fetch the public pictures.
 */

const FILE = path.join(ROOT, "public/robots.txt");

test("/robots.txt is public/robots.txt, sent as text/plain by the static file server with the security headers", async ({ request }) => {
  const headers = await expectServedAsStaticFile(request, "/robots.txt", FILE);
  expect(headers["content-type"]).toBe("text/plain; charset=UTF-8");
  // next.config.mjs's headers, and proxy.ts's (it runs for public/ files too: the answer names its instance)
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-served-by"]).toBe("e2e-1");
  expect(headers["x-request-id"]).toBeTruthy();
});

test("robots.txt keeps crawlers off the wizard, the sign-in page and the API, and lets them fetch /avatars/", async () => {
  const robots = readFileSync(FILE, "utf8");
  const routes = appRoutePaths(path.join(ROOT, "app"));
  // The app's own routes, so a moved or added page or handler makes this test name it.
  expect(routes).toEqual(expect.arrayContaining(["/avatar/new", "/avatar/history", "/signin", "/api/health", "/avatars/userId/size"]));
  const allowed = (p: string) => robotsAllows(robots, p);
  // "/" sends a visitor without a session on to /signin, which is disallowed.
  expect(routes.filter(allowed), "routes crawlers may fetch").toEqual(["/", "/avatars/userId/size"]);

  // /avatar/ (the wizard) and /avatars/ (the pictures) differ by one letter: a rule for one must not catch the other.
  expect(allowed("/avatars/0123456789abcdef0123456789ab/128?d=404")).toBe(true);
  expect(allowed("/avatar/new/0123456789abcdef0123456789abcdef")).toBe(false);
  expect(allowed(`/signin?callbackUrl=${encodeURIComponent("/avatar/new")}`)).toBe(false);
  expect(allowed("/api/auth/signin")).toBe(false);
  expect(allowed("/robots.txt")).toBe(true);
});
