import { request as httpsRequest } from "node:https";

import { Cluster } from "@/tools/cluster";
import { applyBucketSetupWith } from "@/tools/bucket/apply-setup";

import { chromiumLaunchOptions } from "../../playwright.config";
import { Wizard } from "../pages/wizard";
import { signInThroughProvider } from "../support/oidc-sign-in";
import { phonePhoto } from "../support/pictures";

import { APP_URL, OIDC_CLIENT, PREVIEW_CORS_ORIGIN, PREVIEW_HOST, PREVIEW_PORT, PREVIEW_URL } from "./config";
import { expect, PROVIDER_ORIGIN, test } from "./fixtures";

/**
 * A Vercel preview deployment: the same production build started as Vercel starts it (VERCEL=1,
 * VERCEL_ENV=preview, no NEXTAUTH_URL), behind nginx answering for the preview's own host name,
 * which Chromium resolves to 127.0.0.1. The origin then comes from each request, as next-auth
 * derives it on Vercel; sign-in, the wizard and the way back must all stay on that origin.
 */

test.use({ baseURL: PREVIEW_URL, launchOptions: chromiumLaunchOptions([`--host-resolver-rules=MAP ${PREVIEW_HOST} 127.0.0.1`]) });

let preview: Cluster;

/** A POST to the preview by its host name with this Origin; from Node, which does not know Chromium's host mapping. */
function postToPreview(pathname: string, origin: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      { host: "127.0.0.1", port: PREVIEW_PORT, path: pathname, method: "POST", servername: PREVIEW_HOST, rejectUnauthorized: false, headers: { host: `${PREVIEW_HOST}:${PREVIEW_PORT}`, origin, "content-type": "application/json" } },
      (response) => {
        response.resume();
        resolve(response.statusCode);
      },
    );
    request.on("error", reject);
    request.end("{}");
  });
}

test.beforeAll(async () => {
  const env = JSON.parse(process.env.E2E_OIDC_ENV!) as Record<string, string>;
  // What `npm run s3:setup` applies for the production origin and every preview (one wildcard).
  applyBucketSetupWith({ ...env, CORS_ALLOWED_ORIGINS: `${APP_URL},${PREVIEW_CORS_ORIGIN}` });
  const withoutUrl = Object.fromEntries(Object.entries(env).filter(([name]) => name !== "NEXTAUTH_URL"));
  preview = new Cluster({
    runtime: process.env.E2E_OIDC_ARTIFACT!,
    port: PREVIEW_PORT,
    instances: 1,
    env: { ...withoutUrl, VERCEL: "1", VERCEL_ENV: "preview", VERCEL_URL: "avatar-relay-4f3a2b1c-myteam.vercel.app", VERCEL_BRANCH_URL: PREVIEW_HOST },
    logDir: process.env.E2E_OIDC_LOG_DIR,
    idPrefix: "preview-app-",
    tls: JSON.parse(process.env.E2E_OIDC_TLS!) as { certificate: string; key: string },
  });
  await preview.start();
});

test.afterAll(async () => {
  await preview?.stop();
});

test("a Vercel preview without NEXTAUTH_URL: sign in through the OpenID provider, walk the wizard, stay on the preview's origin", async ({ page }) => {
  const login = `preview-${Date.now()}`;
  await signInThroughProvider(page, login, { appOrigin: PREVIEW_URL, providerOrigin: PROVIDER_ORIGIN, buttonName: `Sign in with ${OIDC_CLIENT.name}`, returnTo: "/avatar/new" });
  expect(new URL(page.url()).origin).toBe(PREVIEW_URL);

  // Cookies and HSTS follow the request's https origin, as next-auth's do.
  const cookies = await page.context().cookies(PREVIEW_URL);
  expect(cookies.find((cookie) => cookie.name === "__Secure-next-auth.session-token")).toMatchObject({ secure: true, httpOnly: true });
  const response = await page.goto("/avatar/new");
  expect(response!.headers()["strict-transport-security"]).toBe("max-age=63072000");

  const wizard = new Wizard(page);
  await wizard.chooseFile(await phonePhoto(62));
  await wizard.waitForCropStep();
  await wizard.crop();
  const avatarId = await wizard.save();
  expect(new URL(page.url()).origin).toBe(PREVIEW_URL);
  await expect(wizard.headerAvatar()).toHaveAttribute("data-avatar-id", avatarId);

  // The same-origin check takes the preview's origin: a state change from the production origin is refused.
  expect(await postToPreview("/api/uploads", APP_URL)).toBe(403);
  expect(await postToPreview("/api/uploads", PREVIEW_URL)).toBe(401); // its own origin passes; no session cookie here
  // And a sign-in redirect target elsewhere ends on the preview.
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("https://avatars.example.com/steal")}`);
  expect(page.url()).toBe(`${PREVIEW_URL}/`);
});
