import { expect, test, type Page } from "@playwright/test";

import { APP_ORIGIN } from "./single/config";
import { Wizard } from "./pages/wizard";
import { phonePhoto } from "./support/pictures";

/**
 * A page that logs an error or asks for something that is not there (a missing favicon was the
 * one every page had) looks broken in the console and hides the real errors among the noise. So a
 * user walks the whole wizard while every console error, failed request and 4xx/5xx answer from
 * the app is recorded, and the walk must end with none. Chromium may not report its own favicon
 * fetches to Playwright's page events, so the second test asks for every icon the pages link to,
 * and /favicon.ico, directly.
 */

type Problem = { where: string; what: string };

function recordProblems(page: Page): Problem[] {
  const problems: Problem[] = [];
  const where = () => new URL(page.url(), APP_ORIGIN).pathname;
  page.on("console", (message) => {
    if (message.type() === "error") problems.push({ where: where(), what: `console error: ${message.text()}` });
  });
  page.on("pageerror", (error) => problems.push({ where: where(), what: `uncaught: ${error.message}` }));
  page.on("requestfailed", (request) => {
    // ERR_ABORTED is the browser giving up on a request because the page moved on (Next's router
    // cancels its RSC prefetches on navigation, a reload cancels a late icon fetch); it logs
    // nothing for it. Something missing or refused shows as a 4xx/5xx answer or another error
    // (ERR_BLOCKED_BY_CSP, ERR_CONNECTION_REFUSED, ...).
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push({ where: where(), what: `request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ""}` });
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && response.url().startsWith(APP_ORIGIN)) {
      problems.push({ where: where(), what: `${response.status()} ${response.request().method()} ${response.url()}` });
    }
  });
  return problems;
}

test("no page of the wizard logs a console error or a failed request, from sign-in to history", async ({ page }) => {
  const problems = recordProblems(page);
  const wizard = new Wizard(page);
  const visited: string[] = [];
  const step = async (name: string) => {
    // Let late requests (icons, prefetches, the header's image) finish before the next step.
    await page.waitForLoadState("networkidle");
    visited.push(`${name} ${new URL(page.url()).pathname}`);
  };

  await wizard.signIn(`tidy-${Date.now()}`); // the sign-in page, then /
  await step("home");
  await wizard.openUpload();
  await step("upload");
  await wizard.chooseFile(await phonePhoto(21));
  await wizard.waitForCropStep();
  await step("crop");
  await wizard.crop();
  await step("save");
  await wizard.save();
  await step("history");
  await page.reload();
  await step("history, reloaded");

  console.log(`visited: ${visited.join(" → ")}`);
  expect(problems.map((p) => `${p.where}: ${p.what}`)).toEqual([]);
});

test("the icons the pages link to are served, as images, to a signed-out browser", async ({ page, request }) => {
  await page.goto("/signin");
  const links = await page.locator('link[rel="icon"], link[rel="apple-touch-icon"]').evaluateAll((nodes) => nodes.map((node) => (node as HTMLLinkElement).href));
  expect(links.length).toBeGreaterThanOrEqual(3); // favicon.ico, icon.svg, apple-icon.png
  for (const href of [...links, `${APP_ORIGIN}/favicon.ico`]) {
    const response = await request.get(href, { maxRedirects: 0 });
    expect(response.status(), href).toBe(200);
    expect(response.headers()["content-type"], href).toMatch(/^image\//);
  }
});
