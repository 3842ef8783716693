import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { expect, test, type Page, type Route } from "@playwright/test";

import { ROOT } from "@/tools/paths";

import { Wizard } from "./pages/wizard";
import { S3_ORIGIN } from "./support/hold-s3-uploads";

/**
 * A Crop click sends a whole square inside the picture whatever the order of events: the server's
 * suggestion arriving before the picture is shown (a reload, the preview held), while it loads, or
 * after; the click as soon as Crop can be pressed, or after the page is idle; on a phone with touch
 * and on a desktop; for every EXIF orientation of the team's photos. Crop cannot be pressed, and
 * says why, while the picture is not shown. The live preview is never blank.
 */

const FIXTURES = path.resolve(ROOT, "../shared/fixtures/exif-orientation");
const haveFixtures = existsSync(path.join(FIXTURES, "Portrait_0.jpg"));
if (!haveFixtures) console.warn(`[crop-timing.spec] DID NOT RUN: ${FIXTURES} does not exist (team fixtures are only on team machines and CI).`);

const SIZES = [
  { name: "phone", use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 } },
  { name: "desktop", use: { viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 } },
] as const;
const ARRIVALS = ["before", "during", "after"] as const;
type Arrival = (typeof ARRIVALS)[number];
const CLICKS = ["at once", "after idling"] as const;

let seq = 0;
const unique = (label: string) => `${label}-${Date.now()}-${++seq}`;

/** Holds every request `matches` picks until release(); `held` settles once one is held. */
async function hold(page: Page, matches: (url: URL, method: string) => boolean) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let heldOne!: () => void;
  const held = new Promise<void>((resolve) => (heldOne = resolve));
  const handler = async (route: Route) => {
    if (!matches(new URL(route.request().url()), route.request().method())) return route.fallback();
    heldOne();
    await released;
    await route.continue().catch(() => undefined); // the page may have moved on
  };
  await page.route("**/*", handler);
  return { release, held, stop: () => page.unroute("**/*", handler) };
}

const isFinish = (url: URL, method: string) => method === "POST" && /^\/api\/uploads\/[0-9a-f]{32}\/finish$/.test(url.pathname);
const isPreview = (url: URL, method: string) => method === "GET" && url.origin === S3_ORIGIN && url.pathname.includes("/preview");

/** The cropper's picture has loaded (the browser knows its size). */
const pictureShown = (page: Page) =>
  page.getByTestId("cropper").locator("img").evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0);

/** How much the 128 px live preview varies: 0 while it has no square drawn, or is blank (one flat colour). */
async function previewSpread(page: Page): Promise<number> {
  const canvas = page.getByRole("img", { name: "Preview of your avatar at 128 pixels" });
  const area = await page.getByTestId("crop-preview").getAttribute("data-area");
  if (!area || (await canvas.getAttribute("data-drawn")) !== area) return 0;
  return canvas.evaluate((element) => {
    const canvas = element as HTMLCanvasElement;
    const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
    let [sum, sumSquares, opaque] = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! < 255) continue;
      const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      [sum, sumSquares, opaque] = [sum + luma, sumSquares + luma * luma, opaque + 1];
    }
    if (opaque === 0) return 0;
    return Math.sqrt(Math.max(0, sumSquares / opaque - (sum / opaque) ** 2));
  });
}

for (const size of SIZES) {
  test.describe(`${size.name} ${size.use.viewport.width}×${size.use.viewport.height}`, () => {
    test.use(size.use);
    // Every orientation 0-8; across them every arrival meets both kinds of click, portrait and landscape.
    for (let orientation = 0; orientation <= 8; orientation++) {
      const file = `${orientation % 2 === 0 ? "Portrait" : "Landscape"}_${orientation}.jpg`;
      const arrival: Arrival = ARRIVALS[orientation % 3]!;
      const click = CLICKS[(orientation + (size.name === "phone" ? 0 : 1)) % 2]!;
      test(`${file}: suggestion ${arrival} the picture is shown, Crop ${click}`, async ({ page }) => {
        test.skip(!haveFixtures, `DID NOT RUN: ${FIXTURES} does not exist`);
        const wizard = new Wizard(page);
        await wizard.signIn(unique("crop-timing"));
        await wizard.openUpload();
        const finish = await hold(page, isFinish);
        await wizard.chooseFile({ name: file, mimeType: "image/jpeg", buffer: readFileSync(path.join(FIXTURES, file)) });
        const answer = page.waitForResponse((response) => isFinish(new URL(response.url()), response.request().method()));
        const displayedSize = async () => ((await (await answer).json()) as { displayed: { width: number; height: number } }).displayed;
        let displayed: { width: number; height: number };

        if (arrival === "during") {
          // Let the check answer as soon as it is asked, whether or not the picture has been drawn yet.
          await finish.held;
          finish.release();
          await wizard.waitForCropStepShown();
          displayed = await displayedSize();
        } else if (arrival === "after") {
          await wizard.waitForCropStepShown();
          await expect.poll(() => pictureShown(page)).toBe(true);
          await finish.held;
          finish.release();
          displayed = await displayedSize();
        } else {
          // The upload checked, then a reload: the suggestion is in the page before the picture arrives.
          await wizard.waitForCropStepShown();
          finish.release();
          displayed = await displayedSize();
          await wizard.waitForCropStep();
          await finish.stop();
          const preview = await hold(page, isPreview);
          await page.reload({ waitUntil: "domcontentloaded" }); // "load" would wait for the held picture
          await preview.held;
          await expect(page.getByRole("heading", { name: "Crop your picture" })).toBeVisible();
          const crop = page.getByRole("button", { name: "Crop", exact: true });
          await expect(crop, "Crop cannot be pressed before the picture is shown").toBeDisabled();
          await expect(crop).toHaveAccessibleDescription(/still loading/);
          preview.release();
        }

        if (click === "after idling") {
          await page.waitForLoadState("networkidle");
          await expect.poll(() => previewSpread(page), { message: "the live preview shows the picture" }).toBeGreaterThan(8);
        }
        const sent = page.waitForRequest((request) => request.method() === "POST" && /\/crop$/.test(request.url()));
        const created = page.waitForResponse((response) => response.request().method() === "POST" && /\/crop$/.test(response.url()));
        // Crop is pressed as soon as it can be (Playwright waits until it is enabled), the preview checked after.
        await page.getByRole("button", { name: "Crop", exact: true }).click();
        const body = (await sent).postDataJSON() as { left: number; top: number; width: number; height: number; rotation: number };
        const values = [body.left, body.top, body.width, body.height];
        expect(values.every(Number.isInteger), `whole pixels: ${JSON.stringify(body)}`).toBe(true);
        expect(body.left >= 0 && body.top >= 0 && body.width >= 1 && body.width === body.height, JSON.stringify(body)).toBe(true);
        expect(body.left + body.width <= displayed.width && body.top + body.height <= displayed.height, `${JSON.stringify(body)} inside ${JSON.stringify(displayed)}`).toBe(true);
        expect((await created).status(), "the crop is made").toBe(201);
        await page.waitForURL(/\/avatar\/new\/[0-9a-f]{32}\/[0-9]{13}[0-9a-f]{12}$/);
        await expect(page.getByTestId("crop-result")).toBeVisible();

        // The live preview on the crop step as a reload shows it (the server's preview): not blank.
        await page.goto(`/avatar/new/${wizard.uploadIdFromUrl()}`);
        await expect(page.getByRole("heading", { name: "Crop your picture" })).toBeVisible();
        await expect.poll(() => previewSpread(page), { message: "the live preview shows the picture" }).toBeGreaterThan(8);
      });
    }
  });
}
