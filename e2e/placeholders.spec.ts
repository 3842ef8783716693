import { expect, test, type Locator, type Page, type Route } from "@playwright/test";
import sharp from "sharp";

import { Wizard } from "./pages/wizard";

/**
 * Placeholders: on a throttled connection the header and the history page paint the
 * avatar's ThumbHash before the picture arrives. The connection is throttled with Chromium's own
 * network emulation, and the renditions' responses are held until the page has been looked at, so
 * "before the picture arrives" is a certainty rather than a race with the throttle.
 */

const RED = { r: 225, g: 30, b: 35 };

async function redPicture() {
  const buffer = await sharp({ create: { width: 900, height: 900, channels: 3, background: RED } }).jpeg({ quality: 92 }).toBuffer();
  return { name: "red.jpg", mimeType: "image/jpeg", buffer };
}

/** The mean colour of what an element shows on screen (a screenshot of it, inside its round mask's inner square). */
async function shownColour(element: Locator): Promise<{ r: number; g: number; b: number }> {
  const png = await element.screenshot({ animations: "disabled" });
  const { width, height } = await sharp(png).metadata();
  const inner = { left: Math.round(width * 0.3), top: Math.round(height * 0.3), width: Math.round(width * 0.4), height: Math.round(height * 0.4) };
  const { channels } = await sharp(png).extract(inner).removeAlpha().stats();
  return { r: channels[0]!.mean, g: channels[1]!.mean, b: channels[2]!.mean };
}

const loaded = (image: Locator) => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth > 0);

/** Holds every rendition response until release() is called. */
async function holdRenditions(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const held: Route[] = [];
  await page.route(/\/renditions\/[0-9a-f]+\/\d+\.webp/, async (route) => {
    held.push(route);
    await released;
    await route.continue();
  });
  return { held, release };
}

test("the header and the history page paint the placeholder until the picture has loaded", async ({ page }) => {
  const wizard = new Wizard(page);
  await wizard.signIn(`placeholder-${Date.now()}`);
  await wizard.openUpload();
  await wizard.chooseFile(await redPicture());
  await wizard.waitForCropStep();
  await wizard.crop();
  const avatarId = await wizard.save();

  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 150, downloadThroughput: 100_000, uploadThroughput: 50_000 });
  const { held, release } = await holdRenditions(page);
  await page.goto("/avatar/history", { waitUntil: "domcontentloaded" });

  const header = wizard.headerAvatar();
  const item = page.locator(`[data-testid="history-item"][data-avatar-id="${avatarId}"] img`);
  await expect(header).toHaveAttribute("data-avatar-id", avatarId);
  await expect.poll(() => held.length, { message: "the renditions were requested and are being held" }).toBeGreaterThanOrEqual(2);
  for (const image of [header, item]) {
    expect(await loaded(image), "the picture has not arrived yet").toBe(false);
    await expect(image).toHaveCSS("background-image", /^url\("data:image\/png;base64,/);
    const colour = await shownColour(image);
    // The placeholder of a red picture is red; without one the page's background would show.
    expect(colour.r, JSON.stringify(colour)).toBeGreaterThan(150);
    expect(colour.g, JSON.stringify(colour)).toBeLessThan(110);
    expect(colour.b, JSON.stringify(colour)).toBeLessThan(110);
  }

  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  release();
  for (const image of [header, item]) {
    await expect.poll(() => loaded(image), { message: "the picture arrives and covers the placeholder" }).toBe(true);
    const colour = await shownColour(image);
    expect(colour.r, JSON.stringify(colour)).toBeGreaterThan(180);
  }
});
