import { readFileSync } from "node:fs";

import type { Page } from "@playwright/test";

import { Wizard } from "../pages/wizard";
import { phonePhoto } from "../support/pictures";

import { APP_URL } from "./config";
import { authorizationUrl, callbackFromProvider, completeProviderLogin, expect, signInWithProvider, test } from "./fixtures";

/**
 * Sign-in as production users do it: a production build, the development sign-in off, behind
 * nginx terminating TLS, through a real OpenID provider's own login and consent pages.
 */

let counter = 0;
const newLogin = (label: string) => `${label}-${Date.now()}-${++counter}`;

async function sessionUserId(page: Page): Promise<string | undefined> {
  const session = (await (await page.request.get("/api/auth/session")).json()) as { user?: { id?: string } };
  return session.user?.id;
}

async function expectRefusedOnSignInPage(page: Page, message: RegExp) {
  await page.waitForURL((url) => url.pathname === "/signin" && url.searchParams.has("error"));
  await expect(page.getByTestId("signin-error")).toHaveText(message);
  await expect(page.getByRole("button", { name: /Sign in with/ })).toBeVisible();
  const text = await page.locator("body").innerText();
  expect(text).not.toMatch(/\bat .*\(|Error:|TypeError|stack/);
  expect(await sessionUserId(page)).toBeUndefined();
}

test("the development sign-in is off: only the provider's button, the dev callback signs nobody in, HSTS is sent", async ({ page }) => {
  const response = await page.goto("/signin");
  expect(response!.headers()["strict-transport-security"]).toBe("max-age=63072000");
  await expect(page.getByRole("button", { name: "Sign in with Test SSO" })).toBeVisible();
  await expect(page.getByLabel(/Name or e-mail/)).toHaveCount(0);
  await expect(page.getByTestId("dev-login-warning")).toHaveCount(0);

  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const attempt = await page.request.post("/api/auth/callback/dev", { form: { csrfToken, name: "mallory", json: "true" }, maxRedirects: 0 });
  console.log(`POST /api/auth/callback/dev with the development sign-in off: ${attempt.status()} ${attempt.headers()["location"] ?? ""}`);
  expect(await sessionUserId(page)).toBeUndefined();
});

test("sign in through the provider's login and consent pages, walk the wizard, sign out, sign in again: same user, same avatar", async ({
  page,
  browser,
}) => {
  const login = newLogin("ada");
  await signInWithProvider(page, login);
  const userId = await sessionUserId(page);
  expect(userId).toMatch(/^[0-9a-f]{28}$/);

  // Behind https the cookies are Secure, with __Secure-/__Host- names.
  const cookies = await page.context().cookies(APP_URL);
  const session = cookies.find((c) => c.name === "__Secure-next-auth.session-token");
  expect(session, cookies.map((c) => c.name).join(", ")).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax" });
  expect(cookies.find((c) => c.name === "__Host-next-auth.csrf-token")).toMatchObject({ secure: true, path: "/" });
  expect(cookies.filter((c) => c.name.startsWith("next-auth."))).toEqual([]);

  const wizard = new Wizard(page);
  await wizard.openUpload();
  await wizard.chooseFile(await phonePhoto(61));
  await wizard.waitForCropStep();
  await wizard.crop();
  const avatarId = await wizard.save();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/signin");
  expect(await sessionUserId(page)).toBeUndefined();

  // Again in the same browser (the provider remembers the user and the consent) ...
  await signInWithProvider(page, login);
  expect(await sessionUserId(page)).toBe(userId);
  await expect(wizard.headerAvatar()).toHaveAttribute("data-avatar-id", avatarId);

  // ... and in a new browser, through the provider's login page again.
  const fresh = await browser.newContext({ baseURL: APP_URL, ignoreHTTPSErrors: true });
  const other = await fresh.newPage();
  await signInWithProvider(other, login);
  expect(await sessionUserId(other)).toBe(userId);
  await expect(new Wizard(other).headerAvatar()).toHaveAttribute("data-avatar-id", avatarId);
  await fresh.close();
});

test("a tampered state is refused with a page that says what happened", async ({ page }) => {
  const callback = await callbackFromProvider(await authorizationUrl(page), newLogin("tamper"));
  callback.searchParams.set("state", `${callback.searchParams.get("state")}x`);
  await page.goto(callback.toString());
  await expectRefusedOnSignInPage(page, /Sign-in did not complete/);
});

test("a replayed authorization code is refused", async ({ page, browser }) => {
  const login = newLogin("replay");
  const first = await callbackFromProvider(await authorizationUrl(page), login);
  await page.goto(first.toString());
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText(`Test user ${login}`);
  const code = first.searchParams.get("code")!;

  // The same callback URL again in the signed-in browser: its state was spent.
  const again = await page.request.get(first.toString(), { maxRedirects: 0 });
  expect(again.status()).toBe(302);
  expect(new URL(again.headers()["location"]!, APP_URL).searchParams.get("error")).toBe("OAuthCallback");

  // A new sign-in in another browser whose callback carries the old code: the provider refuses to redeem it twice.
  const context = await browser.newContext({ baseURL: APP_URL, ignoreHTTPSErrors: true });
  const attacker = await context.newPage();
  const second = await callbackFromProvider(await authorizationUrl(attacker), login);
  expect(second.searchParams.get("code")).not.toBe(code);
  second.searchParams.set("code", code);
  await attacker.goto(second.toString());
  await expectRefusedOnSignInPage(attacker, /Sign-in did not complete/);
  await context.close();
});

const HOSTILE_TARGETS = [
  "/\\evil.example",
  "/\t/evil.example",
  "//evil.example",
  "https://evil.example",
  "javascript:alert(document.cookie)",
  "/%09/evil.example",
  "/.//evil.example",
  "https://127.0.0.1.evil.example/",
];

test("redirect targets after sign-in: every one that resolves elsewhere goes to /", async ({ page }) => {
  await signInWithProvider(page, newLogin("redirects"));
  const results: string[] = [];
  for (const target of HOSTILE_TARGETS) {
    const response = await page.request.get(`/signin?callbackUrl=${encodeURIComponent(target)}`, { maxRedirects: 0 });
    results.push(`${JSON.stringify(target)} -> ${response.status()} ${response.headers()["location"]}`);
    expect(response.status(), target).toBe(307);
    expect(response.headers()["location"], target).toBe("/");
  }
  const kept = await page.request.get(`/signin?callbackUrl=${encodeURIComponent("/avatar/history")}`, { maxRedirects: 0 });
  expect(kept.headers()["location"]).toBe("/avatar/history");
  console.log(`signed-in /signin?callbackUrl=...:\n  ${results.join("\n  ")}\n  "/avatar/history" -> ${kept.status()} ${kept.headers()["location"]}`);
});

test("next-auth's own callbackUrl: a sign-in started with another site as its target ends on the app", async ({ page }) => {
  await page.goto("/signin");
  // What next-auth's own client does on "Sign in" (signIn("oidc", { callbackUrl })), with a foreign
  // callbackUrl: next-auth keeps it in a cookie and its redirect callback decides at the end.
  await page.evaluate(async () => {
    const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await fetch("/api/auth/signin/oidc", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, callbackUrl: "https://evil.example/steal", json: "true" }),
    });
    window.location.href = ((await response.json()) as { url: string }).url;
  });
  await completeProviderLogin(page, newLogin("callback"));
  await page.waitForLoadState();
  expect(page.url()).toBe(`${APP_URL}/`);
});

test("the provider down: the sign-in page says the service could not be reached, no stack trace", async ({ page, provider }) => {
  await page.goto("/signin");
  await provider.stop();
  await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
  await expectRefusedOnSignInPage(page, /sign-in service could not be reached/);
  await provider.start();
  // And it recovers as soon as the provider is back.
  await signInWithProvider(page, newLogin("after-outage"));
});

test("the app's log holds neither the OIDC client secret nor AUTH_SECRET after all these sign-ins", async ({ app }) => {
  const log = readFileSync(app.logFile("oidc-app-1")!, "utf8");
  for (const secret of [JSON.parse(process.env.E2E_OIDC_ENV!).AUTH_OIDC_SECRET as string, JSON.parse(process.env.E2E_OIDC_ENV!).AUTH_SECRET as string]) {
    expect(log).not.toContain(secret);
  }
});
