import { expect, test, type Page } from "@playwright/test";

import { listKeysUnder, s3EnvInUse } from "@/test/harness/s3-listing";

import { Wizard } from "./pages/wizard";
import { phonePhoto } from "./support/pictures";

/**
 * "Delete my data" through the UI, checked in S3 itself: a user with two saved avatars and an
 * upload in progress confirms, and afterwards nothing is left under avatars/<user>/ or
 * uploads/<user>/, and the stable URL serves the generated default instead of the old picture.
 */

async function saveAvatar(wizard: Wizard, seed: number): Promise<string> {
  await wizard.openUpload();
  await wizard.chooseFile(await phonePhoto(seed));
  await wizard.waitForCropStep();
  await wizard.crop();
  return wizard.save();
}

test("a user deletes their data after a confirmation that says what goes; their S3 prefixes are then empty", async ({ page, request }) => {
  const wizard = new Wizard(page);
  await wizard.signIn(`forget-me-${Date.now()}`);
  const saved = [await saveAvatar(wizard, 31), await saveAvatar(wizard, 32)];
  const headerSrc = (await wizard.headerAvatar().getAttribute("src"))!;
  const userId = /avatars\/([0-9a-f]{28})\/renditions\//.exec(decodeURIComponent(headerSrc))?.[1];
  expect(userId, headerSrc).toBeDefined();
  // And one upload still in progress (original, preview, its quota key).
  await wizard.openUpload();
  await wizard.chooseFile(await phonePhoto(33));
  await wizard.waitForCropStep();

  const prefixes = [`avatars/${userId}/`, `uploads/${userId}/`];
  const s3 = s3EnvInUse();
  const before = listKeysUnder(s3, prefixes);
  expect(before.filter((key) => key.startsWith(prefixes[0]!)).length).toBeGreaterThan(2 * 4);
  expect(before.filter((key) => key.startsWith(prefixes[1]!)).length).toBeGreaterThan(0);
  const stable = await request.get(`/avatars/${userId}/128`, { maxRedirects: 0 });
  expect(stable.status()).toBe(302);
  expect(stable.headers().location).toContain(`/renditions/${saved[1]}/128.webp`);

  await page.goto("/avatar/history");
  await expect(wizard.historyItems()).toHaveCount(2);
  const section = page.getByTestId("delete-my-data");
  await section.getByRole("button", { name: "Delete my data…" }).click();
  const confirmation = section.getByRole("group");
  for (const what of [/every avatar you saved/, /your history/, /your current avatar/, /any upload you have not finished/, /other browsers and devices/, /cannot be undone/]) {
    await expect(confirmation).toContainText(what);
  }
  // Cancel first: nothing goes.
  await section.getByRole("button", { name: "Cancel" }).click();
  expect(listKeysUnder(s3, prefixes)).toEqual(before);

  await section.getByRole("button", { name: "Delete my data…" }).click();
  await section.getByRole("button", { name: "Yes, delete everything" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your data is deleted" })).toBeVisible();
  await expect(wizard.historyItems()).toHaveCount(0);
  await expect(page.getByText("You have no saved avatars yet.")).toBeVisible();
  await expect(wizard.headerAvatar()).toHaveCount(0);
  // The generated default is back, in the header and on the history page, and it loaded.
  for (const image of [page.getByTestId("header-avatar-empty"), page.getByTestId("history-default-avatar")]) {
    await expect(image).toBeVisible();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  }

  expect(listKeysUnder(s3, prefixes)).toEqual([]);

  // The stable URL: the generated default now, never a redirect to the old rendition; ?d=404 says "none".
  const after = await request.get(`/avatars/${userId}/128`, { maxRedirects: 0 });
  expect(after.headers().location ?? "", `status ${after.status()}`).not.toContain("/renditions/");
  expect(after.status()).toBe(200);
  expect(after.headers()["content-type"]).toMatch(/^image\//);
  expect((await request.get(`/avatars/${userId}/128?d=404`, { maxRedirects: 0 })).status()).toBe(404);

  // A reload shows the same empty account, and deleting again is harmless.
  await page.reload();
  await expect(wizard.historyItems()).toHaveCount(0);
  await section.getByRole("button", { name: "Delete my data…" }).click();
  await section.getByRole("button", { name: "Yes, delete everything" }).click();
  await expect(section.getByRole("button", { name: "Delete my data…" })).toBeVisible(); // done, confirmation closed
  await expect(section.getByRole("alert")).toHaveCount(0);
  expect(listKeysUnder(s3, prefixes)).toEqual([]);
});

test("deleting my data signs out my other sessions at once; the one that deleted stays signed in", async ({ browser }) => {
  const name = `two-browsers-${Date.now()}`;
  const [deleting, other] = [await browser.newContext(), await browser.newContext()];
  try {
    const [here, there] = [await deleting.newPage(), await other.newPage()];
    await new Wizard(here).signIn(name);
    await new Wizard(there).signIn(name);
    const idOf = async (page: Page) => ((await (await page.request.get("/api/auth/session")).json()) as { user?: { id?: string } }).user?.id;
    expect(await idOf(there)).toBe(await idOf(here));
    expect((await there.request.get("/api/avatars")).status()).toBe(200);

    await here.goto("/avatar/history");
    const section = here.getByTestId("delete-my-data");
    await section.getByRole("button", { name: "Delete my data…" }).click();
    await section.getByRole("button", { name: "Yes, delete everything" }).click();
    await expect(here.getByRole("status").filter({ hasText: "Your other sessions are signed out" })).toBeVisible();

    // The other browser: its API calls are refused, its pages ask it to sign in.
    const refused = await there.request.get("/api/avatars");
    expect(refused.status()).toBe(401);
    await there.goto("/avatar/history");
    await expect(there).toHaveURL(/\/signin\?callbackUrl=/);
    // This one carries on, and the other can sign in again.
    expect((await here.request.get("/api/avatars")).status()).toBe(200);
    await new Wizard(there).signIn(name);
    expect((await there.request.get("/api/avatars")).status()).toBe(200);
  } finally {
    await Promise.all([deleting.close(), other.close()]);
  }
});
