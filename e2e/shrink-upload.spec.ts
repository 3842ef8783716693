import { expect, test, type Page, type Request } from "@playwright/test";
import sharp from "sharp";

import { photoLike } from "@/test/harness/images";

import { UPLOAD_MAX_BYTES } from "./single/config";
import { Wizard } from "./pages/wizard";
import { expectAvatarIsCrop } from "./support/avatar-checks";
import { holdS3Uploads, S3_ORIGIN } from "./support/hold-s3-uploads";
import { plainJpeg } from "./support/pictures";

/**
 * The browser shrinks a large picture before it is sent (a worker), and shows the crop
 * step from its own copy while the file uploads and is checked. The S3 POST is held back with
 * page.route where a test needs "the upload has not finished yet" as a state, not as a race.
 */

let seq = 0;
const unique = (label: string) => `${label}-${Date.now()}-${++seq}`;
/** What the picker accepts when the browser shrinks (lib/client/shrink-plan.ts: 5 × UPLOAD_MAX_BYTES). */
const PICKER_MAX_BYTES = UPLOAD_MAX_BYTES * 5;
/** The app's configuration in this tier: on in `e2e`, both off in `e2e-upload-plain` (test/harness/runner/tiers.ts). */
const CLIENT_RESIZE = process.env.UPLOAD_CLIENT_RESIZE !== "false";
const EARLY_CROP = process.env.UPLOAD_EARLY_CROP !== "false";
const NEEDS_BOTH = "needs UPLOAD_CLIENT_RESIZE and UPLOAD_EARLY_CROP on (tier e2e)";

/** Every text a status line showed, however briefly (a MutationObserver in the page). */
async function recordStatusTexts(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { statusTexts: string[] }).statusTexts = seen;
    new MutationObserver(() => {
      for (const node of document.querySelectorAll("[role=status]")) {
        const text = node.textContent ?? "";
        if (text && !seen.includes(text)) seen.push(text);
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { statusTexts: string[] }).statusTexts);
}

const prepareMarks = (page: Page) =>
  page.evaluate(() => ["avatar-prepare-start", "avatar-prepare-end"].map((name) => performance.getEntriesByName(name, "mark").length));

test("a photo larger than the limit is shrunk in the browser, the crop step appears while it uploads, and Crop waits for the check", async ({ page }) => {
  test.skip(!CLIENT_RESIZE || !EARLY_CROP, NEEDS_BOTH);
  const wizard = new Wizard(page);
  const statusTexts = await recordStatusTexts(page);
  await wizard.signIn(unique("shrink"));
  await wizard.openUpload();

  // 2400×3600 photo-like noise: 3.2 MB, over the 3 MB limit, but its copy (1536×2304) is not.
  const original = await sharp(await photoLike(2400, 3600, 41)).jpeg({ quality: 90 }).toBuffer();
  expect(original.length).toBeGreaterThan(UPLOAD_MAX_BYTES);
  expect(original.length).toBeLessThan(PICKER_MAX_BYTES);

  const s3 = await holdS3Uploads(page);
  const announced = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/api/uploads");
  const cropCalls: Request[] = [];
  page.on("request", (r) => r.method() === "POST" && /\/crop$/.test(r.url()) && cropCalls.push(r));
  await wizard.chooseFile({ name: "big.jpg", mimeType: "image/jpeg", buffer: original });

  const body = (await announced).postDataJSON() as { contentType: string; size: number; name: string };
  expect(body.contentType).toBe("image/jpeg");
  expect(body.name).toBe("big.jpg");
  // What is sent fits the limit (it applies to what is uploaded) and is smaller than the file.
  expect(body.size).toBeLessThanOrEqual(UPLOAD_MAX_BYTES);
  expect(body.size).toBeLessThan(original.length);

  // The crop step is there, from the local copy, while the file has not reached S3.
  await s3.held;
  await wizard.waitForCropStepShown();
  await expect(page.getByRole("navigation", { name: "Progress" }).locator("[aria-current=step]")).toHaveText("2. Crop");
  await expect(page.getByTestId("cropper").locator("img")).toHaveAttribute("src", /^blob:/);
  await expect(wizard.uploadProgress()).toHaveAttribute("data-stage", "uploading");
  await expect(wizard.uploadProgress()).toContainText(/Uploading big\.jpg: .* of /);
  await expect(page.locator("#upload-progress")).toHaveAttribute("max", String(body.size));
  expect(await statusTexts()).toContainEqual(expect.stringMatching(/^Preparing big\.jpg…$/));
  expect(await prepareMarks(page)).toEqual([1, 1]);

  // Crop before the upload is checked: the step waits, sends nothing yet, then crops.
  await page.getByLabel("Zoom").fill("2");
  await page.getByRole("button", { name: "Crop", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Waiting for the upload to finish…" })).toBeVisible();
  expect(cropCalls).toEqual([]);
  const finished = page.waitForResponse((r) => r.request().method() === "POST" && /\/finish$/.test(r.url()));
  const cropRequest = page.waitForRequest((r) => r.method() === "POST" && /\/crop$/.test(r.url()));
  s3.release();
  const ready = (await (await finished).json()) as { bytes: number; format: string; displayed: { width: number; height: number } };
  // What S3 holds is the copy: the announced size, upright 1536 px on the short side, a JPEG.
  expect(ready).toMatchObject({ bytes: body.size, format: "jpeg", displayed: { width: 1536, height: 2304 } });
  const crop = (await cropRequest).postDataJSON() as { left: number; top: number; width: number; height: number; rotation: number };
  expect(crop.width).toBeGreaterThan(700); // zoom 2 on the 1536 px side
  expect(crop.width).toBeLessThan(800);
  await page.waitForURL(/\/avatar\/new\/[0-9a-f]{32}\/[0-9]{13}[0-9a-f]{12}$/);
  await wizard.save();

  // The avatar is that crop of the original picture (the crop request is in the copy's space).
  const scale = 2400 / 1536;
  const inOriginal = { ...crop, left: crop.left * scale, top: crop.top * scale, width: crop.width * scale, height: crop.height * scale };
  const difference = await expectAvatarIsCrop(page.request, (await wizard.headerAvatar().getAttribute("src"))!, original, inOriginal);
  console.log(`shrunk upload: original ${original.length} B, sent ${body.size} B; avatar differs from the original's crop by ${difference.toFixed(2)}/255`);
});

test("a reload while the file is still uploading says the upload was interrupted and asks for the file again", async ({ page }) => {
  test.skip(!CLIENT_RESIZE || !EARLY_CROP, NEEDS_BOTH);
  const wizard = new Wizard(page);
  await wizard.signIn(unique("reload"));
  await wizard.openUpload();
  const s3 = await holdS3Uploads(page);
  await wizard.chooseFile({ name: "photo.jpg", mimeType: "image/jpeg", buffer: await plainJpeg(900, 700, 42) });
  await s3.held;
  await wizard.waitForCropStepShown();
  const uploadId = wizard.uploadIdFromUrl();

  await page.reload();
  await expect(page.locator("main [role=alert]")).toContainText("interrupted before the picture arrived");
  await expect(page.locator("main [role=alert]")).toContainText("Please choose the file again.");
  s3.release();
  await page.unrouteAll({ behavior: "ignoreErrors" });
  expect((await page.request.get(`/api/uploads/${uploadId}`)).status()).toBe(404);

  await page.getByRole("link", { name: "Start again" }).click();
  await wizard.chooseFile({ name: "again.jpg", mimeType: "image/jpeg", buffer: await plainJpeg(900, 700, 43) });
  await wizard.waitForCropStep();
  await page.reload(); // once checked, a reload is today's crop step, from S3
  await wizard.waitForCropStep();
  await expect(page.getByTestId("cropper").locator("img")).not.toHaveAttribute("src", /^blob:/);
  await expect(wizard.uploadProgress()).toHaveCount(0);
});

test("the size limit applies to what is uploaded: small pictures go unchanged, undecodable large files are refused", async ({ page }) => {
  test.skip(!CLIENT_RESIZE || !EARLY_CROP, NEEDS_BOTH);
  const wizard = new Wizard(page);
  await wizard.signIn(unique("limits"));
  await wizard.openUpload();
  const announced: number[] = [];
  page.on("request", (r) => r.method() === "POST" && new URL(r.url()).pathname === "/api/uploads" && announced.push((r.postDataJSON() as { size: number }).size));

  // Already small enough (short side 1000 < 1536): the original goes as it is, no preparation marks.
  const small = await plainJpeg(1000, 1400, 44);
  const finished = page.waitForResponse((r) => r.request().method() === "POST" && /\/finish$/.test(r.url()));
  await wizard.chooseFile({ name: "small.jpg", mimeType: "image/jpeg", buffer: small });
  expect(((await (await finished).json()) as { bytes: number }).bytes).toBe(small.length);
  await wizard.waitForCropStep();
  expect(await prepareMarks(page)).toEqual([0, 0]);
  expect(announced).toEqual([small.length]);

  // Over UPLOAD_MAX_BYTES and not a picture the browser can decode: refused before anything is sent.
  await page.getByRole("link", { name: "Choose another picture" }).click();
  await expect(page.getByRole("heading", { name: "Choose a picture" })).toBeVisible();
  await expect(page).toHaveURL(/\/avatar\/new$/);
  await wizard.chooseFile({ name: "noise.jpg", mimeType: "image/jpeg", buffer: Buffer.alloc(UPLOAD_MAX_BYTES + 1, 7) });
  await expect(page.locator("main [role=alert]")).toContainText("is 3,145,729 bytes; the limit is 3,145,728 bytes (3 MB).");

  // Over what the picker takes even when shrinking: refused at once, without decoding.
  await wizard.chooseFile({ name: "enormous.jpg", mimeType: "image/jpeg", buffer: Buffer.alloc(PICKER_MAX_BYTES + 1, 7) });
  await expect(page.locator("main [role=alert]")).toContainText("is 15,728,641 bytes; the limit is 15,728,640 bytes (15 MB).");
  expect(announced).toEqual([small.length]);
});

test("the check fails while the crop step is shown: its message, and back to step 1", async ({ page }) => {
  test.skip(!CLIENT_RESIZE || !EARLY_CROP, NEEDS_BOTH);
  test.skip(!process.env.E2E_S3_PID, "needs the embedded S3 process to freeze (the external-S3 run cannot pause it)");
  const s3Pid = Number(process.env.E2E_S3_PID);
  const wizard = new Wizard(page);
  await wizard.signIn(unique("refused"));
  await wizard.openUpload();

  // The file reaches S3; then S3 stops answering before the check reads it (the app answers 503).
  let releaseFinish!: () => void;
  const finishMayGo = new Promise<void>((resolve) => (releaseFinish = resolve));
  await page.route(/\/api\/uploads\/[0-9a-f]{32}\/finish$/, async (route) => {
    await finishMayGo;
    await route.continue();
  });
  const s3Answer = page.waitForResponse((r) => new URL(r.url()).origin === S3_ORIGIN && r.request().method() === "POST");
  await wizard.chooseFile({ name: "photo.jpg", mimeType: "image/jpeg", buffer: await plainJpeg(900, 700, 45) });
  await wizard.waitForCropStepShown();
  expect((await s3Answer).status()).toBe(204);
  await expect(wizard.uploadProgress()).toHaveAttribute("data-stage", "checking");

  process.kill(s3Pid, "SIGSTOP");
  try {
    releaseFinish();
    await expect(page.locator("main [role=alert]")).toContainText("Storage is not reachable right now", { timeout: 30_000 });
    await expect(page.getByRole("heading", { name: "Choose a picture" })).toBeVisible();
    await expect(page).toHaveURL(/\/avatar\/new$/);
  } finally {
    process.kill(s3Pid, "SIGCONT");
  }
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await wizard.chooseFile({ name: "again.jpg", mimeType: "image/jpeg", buffer: await plainJpeg(900, 700, 46) });
  await wizard.waitForCropStep();
});

test("UPLOAD_CLIENT_RESIZE=false and UPLOAD_EARLY_CROP=false: the file goes as it is, and the crop step comes after the check", { tag: "@upload" }, async ({ page }) => {
  test.skip(CLIENT_RESIZE || EARLY_CROP, "needs UPLOAD_CLIENT_RESIZE=false and UPLOAD_EARLY_CROP=false (tier e2e-upload-plain)");
  const wizard = new Wizard(page);
  const statusTexts = await recordStatusTexts(page);
  await wizard.signIn(unique("plain"));
  await wizard.openUpload();
  await expect(page.getByText(`up to ${UPLOAD_MAX_BYTES / (1024 * 1024)} MB.`)).toBeVisible();

  // Over the limit: nothing shrinks it, so it is refused at once.
  const tooBig = await sharp(await photoLike(2400, 3600, 47)).jpeg({ quality: 90 }).toBuffer();
  expect(tooBig.length).toBeGreaterThan(UPLOAD_MAX_BYTES);
  await wizard.chooseFile({ name: "big.jpg", mimeType: "image/jpeg", buffer: tooBig });
  await expect(page.locator("main [role=alert]")).toContainText("the limit is 3 MB.");

  // A large picture within the limit goes byte for byte; the crop step shows the server's preview.
  const large = await sharp(await photoLike(2000, 3000, 48)).jpeg({ quality: 80 }).toBuffer();
  expect(large.length).toBeLessThan(UPLOAD_MAX_BYTES);
  const announced = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/api/uploads");
  const finished = page.waitForResponse((r) => r.request().method() === "POST" && /\/finish$/.test(r.url()));
  await wizard.chooseFile({ name: "large.jpg", mimeType: "image/jpeg", buffer: large });
  expect(((await announced).postDataJSON() as { size: number }).size).toBe(large.length);
  expect(((await (await finished).json()) as { bytes: number; displayed: object }).bytes).toBe(large.length);
  await wizard.waitForCropStep();
  await expect(page.getByTestId("cropper").locator("img")).not.toHaveAttribute("src", /^blob:/);
  await expect(wizard.uploadProgress()).toHaveCount(0);
  expect(await prepareMarks(page)).toEqual([0, 0]);
  expect((await statusTexts()).filter((text) => text.startsWith("Preparing"))).toEqual([]);
  await wizard.crop();
  await wizard.save();
});
