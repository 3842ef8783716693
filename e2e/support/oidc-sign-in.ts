import { expect, request as playwrightRequest, type Page } from "@playwright/test";

/** Where a sign-in through the test OpenID provider happens. */
export type OidcSignInPlace = { appOrigin: string; providerOrigin: string; buttonName: string };

/**
 * Signs in the way a production user does: the app's button, then the provider's own login page
 * (any login is an account; the password is not checked) and consent page, back to the app.
 */
export async function signInThroughProvider(page: Page, login: string, where: OidcSignInPlace & { returnTo?: string }): Promise<void> {
  await page.goto(`${where.appOrigin}/signin?callbackUrl=${encodeURIComponent(where.returnTo ?? "/")}`);
  await page.getByRole("button", { name: where.buttonName }).click();
  await completeLoginAtProvider(page, login, where);
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText(`Test user ${login}`);
}

/** On the provider's pages: log in if asked, consent if asked, until the browser is back at the app. */
export async function completeLoginAtProvider(page: Page, login: string, where: OidcSignInPlace): Promise<void> {
  const at = (origin: string) => new URL(page.url()).origin === origin;
  // Left the app's sign-in page: for the provider, or straight back (a remembered user, or an error).
  await page.waitForURL(
    (url) => url.origin === where.providerOrigin || (url.origin === where.appOrigin && (url.pathname !== "/signin" || url.searchParams.has("error"))),
  );
  if (!at(where.providerOrigin)) return; // the provider remembered the user and the consent
  const loginField = page.locator('input[name="login"]');
  const consent = page.getByRole("button", { name: "Continue" });
  await expect(loginField.or(consent)).toBeVisible();
  if (await loginField.isVisible()) {
    await loginField.fill(login);
    await page.locator('input[name="password"]').fill("any password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    // The login page is gone: either the consent page (same /interaction/ URL) or the app.
    await expect(loginField).toHaveCount(0);
  }
  if (at(where.providerOrigin)) await consent.click();
  await page.waitForURL((url) => url.origin === where.appOrigin);
}

/**
 * The provider's half of a sign-in done over HTTP instead of in the page: from the authorization
 * URL the app sent the browser to, through the provider's own login and consent forms, to the
 * callback URL the provider redirects back to, which is returned without being followed. Tests that
 * must change that URL use this: Chromium lets no route handler touch a request that follows a
 * redirect, and the provider's answer reaches the app only through redirects.
 */
export async function callbackFromProvider(authorizationUrl: string, login: string): Promise<URL> {
  const http = await playwrightRequest.newContext();
  try {
    let response = await http.get(authorizationUrl, { maxRedirects: 0 });
    for (let step = 0; step < 10; step++) {
      const location = response.headers()["location"];
      if (response.status() >= 300 && response.status() < 400 && location) {
        const next = new URL(location, response.url());
        if (!next.href.startsWith(new URL(authorizationUrl).origin)) return next; // back to the app
        response = await http.get(next.toString(), { maxRedirects: 0 });
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`the provider answered ${response.status()} without a form: ${html.slice(0, 200)}`);
      const target = new URL(action.replaceAll("&amp;", "&"), response.url()).toString();
      const form: Record<string, string> = html.includes('name="login"') ? { prompt: "login", login, password: "any password" } : { prompt: "consent" };
      response = await http.post(target, { form, maxRedirects: 0 });
    }
    throw new Error("the provider did not redirect back to the app within 10 steps");
  } finally {
    await http.dispose();
  }
}

/** Starts a sign-in in the page and stops the browser at the provider's door, returning the authorization URL. */
export async function authorizationUrlOf(page: Page, where: OidcSignInPlace): Promise<string> {
  let seen: (url: string) => void;
  const authorization = new Promise<string>((resolve) => (seen = resolve));
  await page.route(
    (url) => url.origin === where.providerOrigin && url.pathname === "/auth",
    async (route) => {
      seen(route.request().url());
      await route.fulfill({ status: 200, contentType: "text/html", body: "<p>held by the test</p>" });
    },
    { times: 1 },
  );
  await page.goto(`${where.appOrigin}/signin`);
  await page.getByRole("button", { name: where.buttonName }).click();
  const url = await authorization;
  await page.waitForURL((at) => at.origin === where.providerOrigin); // the held page has loaded
  return url;
}
