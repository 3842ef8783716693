import { expect, test, type Page, type Request } from "@playwright/test";
import sharp from "sharp";

import type { AvatarView } from "@/lib/avatars/api-types";
import { exifTransform } from "@/lib/images/crop-geometry";
import { contains, faceLike } from "@/test/harness/images";

import { Wizard } from "./pages/wizard";
import { holdS3Uploads } from "./support/hold-s3-uploads";
import { subjectPhoto } from "./support/pictures";

/**
 * The crop step opens on the subject the server found, with one control
 * back to the centre; and a live round preview at 128 and 40 px shows what the server will make.
 */

let userCounter = 0;
const newUserName = (label: string) => `${label}-${Date.now()}-${++userCounter}`;

// 1600×1000: the largest square is 1000 wide; a centred one spans x 300-1300 and misses the face.
const SUBJECT = { left: 1150, top: 320, width: 300, height: 360 };

async function uploadSubject(page: Page, label: string, seed: number) {
  const wizard = new Wizard(page);
  await wizard.signIn(newUserName(label));
  await wizard.openUpload();
  await wizard.chooseFile(await subjectPhoto(1600, 1000, SUBJECT, seed));
  await wizard.waitForCropStep();
  return wizard;
}

/** The 128 px canvas once it shows the crop the step holds now (it redraws on the next frame after a change). */
async function previewPixels(page: Page): Promise<Buffer> {
  const canvas = page.getByRole("img", { name: "Preview of your avatar at 128 pixels" });
  const area = await page.getByTestId("crop-preview").getAttribute("data-area");
  expect(area).toBeTruthy();
  await expect(canvas).toHaveAttribute("data-drawn", area!);
  const dataUrl = await canvas.evaluate((element) => (element as HTMLCanvasElement).toDataURL("image/png"));
  return Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ""), "base64");
}

async function rgb(image: Buffer, side: number) {
  return sharp(image).resize(side, side, { fit: "fill" }).removeAlpha().toColourspace("srgb").raw().toBuffer();
}

/** Mean absolute difference over RGB (0-255) inside the avatar's circle, a little in from its edge. */
async function meanDifferenceInCircle(a: Buffer, b: Buffer, side = 128): Promise<number> {
  const [x, y] = await Promise.all([rgb(a, side), rgb(b, side)]);
  const radius = side / 2 - 4;
  let total = 0;
  let count = 0;
  for (let row = 0; row < side; row++) {
    for (let col = 0; col < side; col++) {
      if ((col + 0.5 - side / 2) ** 2 + (row + 0.5 - side / 2) ** 2 > radius ** 2) continue;
      const i = (row * side + col) * 3;
      for (let c = 0; c < 3; c++) total += Math.abs(x[i + c]! - y[i + c]!);
      count += 3;
    }
  }
  return total / count;
}

test("the crop step opens on the subject, and 'Back to the centre' centres it", async ({ page }) => {
  const wizard = await uploadSubject(page, "subject", 21);
  const uploadId = wizard.uploadIdFromUrl();

  // No interaction at all: the crop sent is the suggestion, and it holds the face.
  const suggested = await wizard.crop();
  expect(suggested).toMatchObject({ width: 1000, height: 1000, rotation: 0 });
  expect(contains(suggested, SUBJECT), `${JSON.stringify(suggested)} holds ${JSON.stringify(SUBJECT)}`).toBe(true);

  await page.goto(`/avatar/new/${uploadId}`);
  await wizard.waitForCropStep();
  await page.getByRole("button", { name: "Back to the centre" }).click();
  const centred = await wizard.crop();
  expect(centred.width).toBe(1000);
  expect(Math.abs(centred.left - 300)).toBeLessThanOrEqual(1);
  expect(centred.top).toBe(0);
  expect(contains(centred, SUBJECT)).toBe(false);
});

/**
 * With the early crop step the step is shown before the server's check, so the
 * suggestion arrives while the user may already be cropping. The S3 POST is held back, so "the
 * check has not answered yet" is a state, not a race.
 */
const EARLY_CROP = process.env.UPLOAD_EARLY_CROP !== "false";

async function uploadSubjectHeld(page: Page, label: string, seed: number) {
  const { release } = await holdS3Uploads(page);
  const wizard = new Wizard(page);
  await wizard.signIn(newUserName(label));
  await wizard.openUpload();
  await wizard.chooseFile(await subjectPhoto(1600, 1000, SUBJECT, seed));
  await wizard.waitForCropStepShown();
  await expect(wizard.uploadProgress()).toHaveAttribute("data-stage", "uploading");
  return { wizard, release };
}

test("early crop step: a suggestion that arrives while the crop is untouched moves it onto the subject", async ({ page }) => {
  test.skip(!EARLY_CROP, "needs UPLOAD_EARLY_CROP on (tier e2e)");
  const { wizard, release } = await uploadSubjectHeld(page, "late-suggestion", 24);
  const before = await page.getByTestId("crop-preview").getAttribute("data-area");
  release();
  await wizard.waitForCropStep();
  await expect(page.getByTestId("crop-preview")).not.toHaveAttribute("data-area", before!);
  const crop = await wizard.crop();
  expect(contains(crop, SUBJECT), `${JSON.stringify(crop)} holds ${JSON.stringify(SUBJECT)}`).toBe(true);
});

test("early crop step: a suggestion that arrives after the user zoomed does not move the crop under them", async ({ page }) => {
  test.skip(!EARLY_CROP, "needs UPLOAD_EARLY_CROP on (tier e2e)");
  const { wizard, release } = await uploadSubjectHeld(page, "late-touched", 25);
  await page.getByLabel("Zoom").fill("1.5");
  await expect(page.getByLabel("Zoom")).toHaveValue("1.5");
  release();
  await wizard.waitForCropStep();
  const crop = await wizard.crop();
  // Zoom 1.5 at the centre: a 667 px square around the picture's centre (800, 500), not the subject's.
  expect(crop.width).toBeGreaterThanOrEqual(665);
  expect(crop.width).toBeLessThanOrEqual(668);
  expect(Math.abs(crop.left + crop.width / 2 - 800)).toBeLessThanOrEqual(2);
  expect(Math.abs(crop.top + crop.height / 2 - 500)).toBeLessThanOrEqual(2);
});

test("the live preview follows drag, zoom and turn, and matches the saved 128 px avatar", async ({ page }) => {
  await uploadSubject(page, "preview", 22);
  const small = page.getByRole("img", { name: "Preview of your avatar at 40 pixels" });
  await expect(small).toBeVisible();
  const before = await previewPixels(page);

  await page.getByLabel("Zoom").fill("1.6");
  await page.getByRole("button", { name: "Rotate right" }).click();
  await expect(page.getByText("Rotation: 90°")).toBeVisible();
  const box = (await page.locator("div.cropper").boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 - 25, { steps: 5 });
  await page.mouse.up();
  const live = await previewPixels(page);
  expect(await meanDifferenceInCircle(live, before), "the preview changed with the crop").toBeGreaterThan(10);
  await expect(small).toHaveAttribute("data-drawn", (await page.getByTestId("crop-preview").getAttribute("data-area"))!);

  const cropRequest = page.waitForRequest((request: Request) => request.method() === "POST" && /\/crop$/.test(request.url()));
  const server = await cropAndSave(page);
  expect(((await cropRequest).postDataJSON() as { rotation: number }).rotation).toBe(90);

  const difference = await meanDifferenceInCircle(live, server);
  console.log(`live preview vs saved 128 px rendition: mean difference ${difference.toFixed(2)}/255`);
  expect(difference).toBeLessThan(8);
});

/** Crop as the step holds it, then Save: the saved 128 px avatar. */
async function cropAndSave(page: Page): Promise<Buffer> {
  await page.getByRole("button", { name: "Crop", exact: true }).click();
  await expect(page.getByTestId("crop-result")).toBeVisible();
  const saved = page.waitForResponse((response) => /\/save$/.test(response.url()) && response.request().method() === "POST");
  await page.getByRole("button", { name: "Save as my avatar" }).click();
  const avatar = (await (await saved).json()) as AvatarView;
  const rendition = await page.request.get(avatar.urls[128]);
  expect(rendition.status()).toBe(200);
  const server = Buffer.from(await rendition.body());
  expect(await sharp(server).metadata()).toMatchObject({ width: 128, height: 128 });
  return server;
}

// A phone photo large enough for a copy (short side over 1536), stored turned or mirrored with the
// EXIF tag that undoes it: the crop step's picture comes from the worker's scaled decode, which must
// show it upright as the server does (a half turn or a mirror keeps its shape).
for (const orientation of [3, 6, 2]) {
  test(`a large photo stored with EXIF ${orientation}: the live preview from the browser's small picture matches the saved avatar`, async ({ page }) => {
    const { flop, rotate } = exifTransform(orientation);
    const upright = await faceLike(2400, 1800, { left: 1650, top: 450, width: 450, height: 540 }, 30 + orientation);
    const stored = await sharp(upright).rotate((360 - rotate) % 360).png().toBuffer();
    const buffer = await sharp(stored).flop(flop).withMetadata({ orientation }).jpeg({ quality: 90 }).toBuffer();
    const wizard = new Wizard(page);
    await wizard.signIn(newUserName(`exif-${orientation}`));
    await wizard.openUpload();
    await wizard.chooseFile({ name: `turned-${orientation}.jpg`, mimeType: "image/jpeg", buffer });
    await wizard.waitForCropStep();
    const live = await previewPixels(page);
    const server = await cropAndSave(page);
    const difference = await meanDifferenceInCircle(live, server);
    console.log(`EXIF ${orientation}, 2400×1800: live preview vs saved 128 px rendition: mean difference ${difference.toFixed(2)}/255`);
    // About 1.8 when upright; a picture shown mirrored gave about 10 (the face-like scene is nearly symmetric).
    expect(difference).toBeLessThan(4);
  });
}

for (const [label, viewport, where] of [
  ["desktop", { width: 1280, height: 900 }, "beside"],
  ["phone", { width: 390, height: 844 }, "below"],
] as const) {
  test(`${label} (${viewport.width} px): the preview is ${where} the cropper, nothing overflows sideways`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await uploadSubject(page, `layout-${label}`, 23);
    const cropper = (await page.locator("div.cropper").boundingBox())!;
    const preview = (await page.getByRole("img", { name: "Preview of your avatar at 128 pixels" }).boundingBox())!;
    expect(preview.width).toBe(128);
    if (where === "beside") {
      expect(preview.x).toBeGreaterThanOrEqual(cropper.x + cropper.width);
      expect(preview.y).toBeLessThan(cropper.y + cropper.height);
    } else {
      expect(preview.y).toBeGreaterThanOrEqual(cropper.y + cropper.height);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}
