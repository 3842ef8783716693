import { expect, test, type Page, type TestInfo } from "@playwright/test";

import { Wizard } from "./pages/wizard";
import { expectNoSeriousA11yViolations } from "./support/a11y";
import { plainJpeg } from "./support/pictures";

/**
 * Every page of the wizard on a phone (390×844, touch) and a desktop (1280×800): nothing scrolls
 * sideways, the product name in the header stays on one line, the cropper and its controls fit,
 * axe finds nothing serious, and on the phone the cropper follows a one-finger drag and a pinch.
 * A full-page screenshot of every step at both sizes is kept in the test's output folder
 * (test-results/, not committed) for people to look at.
 */

const SIZES = [
  { name: "phone", use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 } },
  { name: "desktop", use: { viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 } },
] as const;

/** What overflows the viewport's width, and how many lines the product name takes. */
function measureLayout(page: Page, selectors: string[]) {
  return page.evaluate((selectors) => {
    const width = document.documentElement.clientWidth;
    const brand = document.querySelector(".brand");
    const range = document.createRange();
    if (brand) range.selectNodeContents(brand);
    const outside = selectors.flatMap((selector) =>
      Array.from(document.querySelectorAll(selector)).flatMap((node) => {
        const rect = node.getBoundingClientRect();
        return rect.left < 0 || rect.right > width + 0.5 ? [`${selector} spans ${Math.round(rect.left)}..${Math.round(rect.right)} of ${width}`] : [];
      }),
    );
    return { scrollWidth: document.documentElement.scrollWidth, width, brandLines: brand ? range.getClientRects().length : 0, outside };
  }, selectors);
}

async function checkStep(page: Page, testInfo: TestInfo, size: string, step: string, mustFit: string[] = []) {
  await page.waitForLoadState("networkidle"); // the header's avatar and late images are in place
  const layout = await measureLayout(page, mustFit);
  expect(layout.scrollWidth, `${step} (${size}): page wider than the viewport`).toBeLessThanOrEqual(layout.width);
  expect(layout.brandLines, `${step} (${size}): lines the product name takes`).toBe(1);
  expect(layout.outside, `${step} (${size})`).toEqual([]);
  await expectNoSeriousA11yViolations(page, `${step} (${size})`);
  await page.screenshot({ path: testInfo.outputPath(`${step}-${size}.png`), fullPage: true });
}

/** The transform react-easy-crop puts on the picture: it carries the position and the zoom. */
const pictureTransform = (page: Page) => page.locator(".cropper img").evaluate((img) => (img as HTMLImageElement).style.transform);

/** One finger, or two, moved across the cropper through CDP's touch input (what a touch screen sends). */
async function touchGesture(page: Page, from: { x: number; y: number }[], to: { x: number; y: number }[], steps = 8) {
  const cdp = await page.context().newCDPSession(page);
  const at = (t: number) => from.map((start, i) => ({ x: start.x + (to[i]!.x - start.x) * t, y: start.y + (to[i]!.y - start.y) * t, id: i }));
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(0) });
  for (let step = 1; step <= steps; step++) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(step / steps) });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

const CROP_STEP_PARTS = [".cropper", ".controls", ".controls > *", ".actions > *"];

for (const size of SIZES) {
  test.describe(`${size.name} ${size.use.viewport.width}×${size.use.viewport.height}`, () => {
    test.use(size.use);

    test("every step fits the screen, keeps the product name on one line and is accessible", async ({ page }, testInfo) => {
      // Six accessibility scans and six full-page screenshots (the phone's at 3× pixels): 22-28 s on a
      // quiet 2-core machine, over 60 s on one running six times its cores; nothing in it waits on a clock.
      test.setTimeout(120_000);
      const wizard = new Wizard(page);
      await page.goto("/signin");
      await checkStep(page, testInfo, size.name, "1-sign-in");

      await wizard.signIn(`a-rather-long-name-${size.name}-${Date.now()}@example.com`);
      await checkStep(page, testInfo, size.name, "2-home");

      await wizard.openUpload();
      await checkStep(page, testInfo, size.name, "3-upload", [".dropzone", ".dropzone > .button"]);

      // Wide, so the picture can move sideways inside the round crop at zoom 1.
      await wizard.chooseFile({ name: "wide.jpg", mimeType: "image/jpeg", buffer: await plainJpeg(1600, 800, 41) });
      await wizard.waitForCropStep();
      await checkStep(page, testInfo, size.name, "4-crop", CROP_STEP_PARTS);

      if (size.use.hasTouch) {
        // From the centre: the suggested crop may already sit at the picture's edge, where a drag that way cannot move it.
        await page.getByRole("button", { name: "Back to the centre" }).tap();
        await expect.poll(() => pictureTransform(page)).toMatch(/^translate\(0px, 0px\)/);
        // Measured after the tap, which may have scrolled the page to the button.
        await page.locator(".cropper").scrollIntoViewIfNeeded();
        const box = (await page.locator(".cropper").boundingBox())!;
        const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        const before = await pictureTransform(page);
        await touchGesture(page, [centre], [{ x: centre.x + 40, y: centre.y }]);
        await expect.poll(() => pictureTransform(page), { message: "a drag moves the picture" }).not.toBe(before);

        await expect(page.getByLabel("Zoom")).toHaveValue("1");
        await touchGesture(
          page,
          [{ x: centre.x - 20, y: centre.y }, { x: centre.x + 20, y: centre.y }],
          [{ x: centre.x - 70, y: centre.y }, { x: centre.x + 70, y: centre.y }],
        );
        await expect.poll(async () => Number(await page.getByLabel("Zoom").inputValue()), { message: "a pinch zooms in" }).toBeGreaterThan(1.5);
        await checkStep(page, testInfo, size.name, "4-crop-pinched", CROP_STEP_PARTS);
      }

      const crop = await wizard.crop();
      expect(crop.width).toBe(crop.height);
      if (size.use.hasTouch) {
        // The pinch zoomed in past 1.5, so the square is well under the picture's 800 px height.
        expect(crop.width).toBeLessThan(800 / 1.5 + 1);
      }
      await checkStep(page, testInfo, size.name, "5-save", [".actions > *"]);

      await wizard.save();
      await checkStep(page, testInfo, size.name, "6-history", [".history > li"]);

      await page.goto("/");
      await checkStep(page, testInfo, size.name, "7-home-with-avatar", [".avatar-large"]);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/signin/);
      await page.goto("/");
      await page.waitForURL(/\/signin/);
      await checkStep(page, testInfo, size.name, "8-signed-out");
    });
  });
}
