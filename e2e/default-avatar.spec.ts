import { expect, test, type Locator, type Page } from "@playwright/test";
import sharp from "sharp";

import { initialsOf } from "@/lib/avatars/initials";
import { defaultAvatarDesign, defaultAvatarSvg } from "@/lib/images/default-avatar";
import { meanDifference } from "@/test/harness/images";

import { Wizard } from "./pages/wizard";
import { phonePhoto } from "./support/pictures";

/** The stable avatar URL: a default for everyone, any size, ETags. */

let userCounter = 0;
const newUserName = (label: string) => `${label}-${Date.now()}-${++userCounter}`;

/** The signed-in user's id, read from the stable URL the header's default avatar uses. */
async function userIdOf(page: Page): Promise<string> {
  const src = await page.getByTestId("header-avatar-empty").getAttribute("src");
  const id = /^\/avatars\/([0-9a-f]{28})\/40$/.exec(src ?? "")?.[1];
  expect(id, `header avatar src ${src}`).toBeDefined();
  return id!;
}

async function expectLoaded(image: Locator): Promise<{ naturalWidth: number; currentSrc: string }> {
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  return image.evaluate((img: HTMLImageElement) => ({ naturalWidth: img.naturalWidth, currentSrc: img.currentSrc }));
}

async function pictureSize(body: Buffer): Promise<{ format?: string; width?: number; height?: number }> {
  const { format, width, height } = await sharp(body).metadata();
  return { format, width, height };
}

test("a new user's header and history page show the generated default, not a broken image", async ({ page }) => {
  const wizard = new Wizard(page);
  const name = newUserName("Ada Lovelace");
  await wizard.signIn(name);
  const header = await expectLoaded(page.getByTestId("header-avatar-empty"));
  expect(header.naturalWidth).toBe(40);
  const userId = await userIdOf(page);

  const answer = await page.request.get(`/avatars/${userId}/40`);
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-type"]).toBe("image/webp");
  expect(answer.headers()["etag"]).toMatch(/^"d1-/);
  expect(answer.headers()["cache-control"]).toBe("public, max-age=60, must-revalidate");
  // The sign-in stored the name's initials, so the picture is the initials, not the identicon.
  const served = await answer.body();
  const drawn = (initials?: string) => sharp(Buffer.from(defaultAvatarSvg(defaultAvatarDesign(userId, initials), 40))).png().toBuffer();
  expect(await meanDifference(served, await drawn(initialsOf(name)))).toBeLessThan(6);
  expect(await meanDifference(served, await drawn())).toBeGreaterThan(10);

  await page.goto("/avatar/history");
  expect((await expectLoaded(page.getByTestId("history-default-avatar"))).naturalWidth).toBe(96);
});

test("a 2× screen gets the 2× picture through srcset", async ({ browser }) => {
  const context = await browser.newContext({ deviceScaleFactor: 2 });
  const page = await context.newPage();
  await new Wizard(page).signIn(newUserName("retina"));
  const header = await expectLoaded(page.getByTestId("header-avatar-empty"));
  expect(header.currentSrc).toMatch(/\/avatars\/[0-9a-f]{28}\/80$/);
  // naturalWidth is in CSS pixels (an 80 px picture at 2x density is 40): the bytes say 80.
  expect(header.naturalWidth).toBe(40);
  expect(await pictureSize(await (await page.request.get(header.currentSrc)).body())).toMatchObject({ width: 80, height: 80 });
  await context.close();
});

test("any size from 16 to 512, ?d=404 for no default, and 400 for a size that is not a plain integer in range", async ({ page }) => {
  await new Wizard(page).signIn(newUserName("sizes"));
  const userId = await userIdOf(page);
  for (const size of [16, 100, 512]) {
    const answer = await page.request.get(`/avatars/${userId}/${size}`);
    expect(answer.status(), `size ${size}`).toBe(200);
    const picture = await pictureSize(await answer.body());
    expect(picture.format).toBe("webp");
    expect(picture.width).toBeGreaterThanOrEqual(size);
    expect(picture.height).toBeGreaterThanOrEqual(size);
  }
  expect((await page.request.get(`/avatars/${userId}/64?d=404`)).status()).toBe(404);
  expect((await page.request.get(`/avatars/${userId}/64?d=mp`)).status()).toBe(400);
  for (const bad of ["0x40", "64.0", "%2064", "+64", "064", "15", "513", "-1"]) {
    expect((await page.request.get(`/avatars/${userId}/${bad}`)).status(), bad).toBe(400);
  }
});

test("the default revalidates to 304, and after a save the same URL serves the rendition under a new ETag", async ({ page }) => {
  const wizard = new Wizard(page);
  await wizard.signIn(newUserName("saver"));
  const userId = await userIdOf(page);
  const url = `/avatars/${userId}/100`;
  const first = await page.request.get(url);
  const defaultTag = first.headers()["etag"]!;
  expect(defaultTag).toBeTruthy();
  expect((await page.request.get(url, { headers: { "if-none-match": defaultTag } })).status()).toBe(304);

  await wizard.openUpload();
  await wizard.chooseFile(await phonePhoto(15));
  await wizard.waitForCropStep();
  await wizard.crop();
  const avatarId = await wizard.save();

  const redirect = await page.request.get(url, { headers: { "if-none-match": defaultTag }, maxRedirects: 0 });
  expect(redirect.status()).toBe(302);
  const renditionTag = redirect.headers()["etag"]!;
  expect(renditionTag).not.toBe(defaultTag);
  expect(redirect.headers()["location"]).toContain(`/avatars/${userId}/renditions/${avatarId}/128.webp`);
  expect((await page.request.get(url, { headers: { "if-none-match": renditionTag }, maxRedirects: 0 })).status()).toBe(304);

  const followed = await page.request.get(url);
  expect(followed.status()).toBe(200);
  expect(await pictureSize(await followed.body())).toMatchObject({ format: "webp", width: 128, height: 128 });

  const header = await expectLoaded(wizard.headerAvatar());
  expect(header.naturalWidth).toBe(64);
});
