import { expect, test, type Page, type Request } from "@playwright/test";

import { APP_ORIGIN } from "./single/config";
import { cameraDialog, openCameraByKeyboard, takePhotoButton } from "./pages/camera";
import { Wizard } from "./pages/wizard";
import { expectNoSeriousA11yViolations } from "./support/a11y";
import { plainJpeg } from "./support/pictures";

/**
 * "Take a photo", in the project that starts Chromium with its fake camera
 * (--use-fake-device-for-media-stream: a generated moving picture) and its auto-accepting permission
 * prompt (--use-fake-ui-for-media-stream). Everything is driven from the keyboard.
 *
 * To see that the panel turns the camera off, an init script keeps a reference to every stream
 * getUserMedia hands out (it does not change what getUserMedia does) so a test can ask whether its
 * tracks ended. The "no camera" and "insecure origin" cases cannot be produced with the fake device
 * on loopback (127.0.0.1 is a secure context), so those two replace a browser API in an init script:
 * getUserMedia rejecting with NotFoundError, window.isSecureContext false. Each says so below.
 */

let userCounter = 0;
const newUserName = (label: string) => `${label}-${Date.now()}-${++userCounter}`;

async function watchStreams(page: Page) {
  await page.addInitScript(() => {
    const seen: MediaStream[] = [];
    (window as unknown as { __streams: MediaStream[] }).__streams = seen;
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      seen.push(stream);
      return stream;
    };
  });
}

/** readyState of every video track the page was given, in order. */
const trackStates = (page: Page) =>
  page.evaluate(() => (window as unknown as { __streams: MediaStream[] }).__streams.flatMap((s) => s.getVideoTracks().map((t) => t.readyState)));

test("a user takes a photo with the camera, by keyboard only, retakes it, and saves it as the avatar", async ({ page }, testInfo) => {
  await watchStreams(page);
  const wizard = new Wizard(page);
  await wizard.signIn(newUserName("camille"));
  await wizard.openUpload();

  await openCameraByKeyboard(page);
  const dialog = cameraDialog(page);
  const capture = dialog.getByRole("button", { name: "Capture" });
  await expect(capture).toBeEnabled();
  await expect(capture).toBeFocused(); // focus moves to the next thing to do
  await expectNoSeriousA11yViolations(page, "camera panel, live");
  await page.screenshot({ path: testInfo.outputPath("camera-live-desktop.png") });

  await page.keyboard.press("Enter");
  await expect(dialog.getByRole("img", { name: "The photo you took" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Use this photo" })).toBeFocused();
  await expectNoSeriousA11yViolations(page, "camera panel, photo taken");
  await page.screenshot({ path: testInfo.outputPath("camera-photo-desktop.png") });

  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Retake" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog.getByRole("img", { name: "The photo you took" })).toBeHidden();
  await expect(capture).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog.getByRole("button", { name: "Use this photo" })).toBeFocused();

  const started = page.waitForRequest((r: Request) => r.method() === "POST" && r.url() === `${APP_ORIGIN}/api/uploads`);
  const finished = page.waitForResponse((r) => r.request().method() === "POST" && /\/api\/uploads\/[0-9a-f]{32}\/finish$/.test(r.url()));
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  // The photo took the file input's path: the same start request, the same S3 POST, the same check.
  const body = (await started).postDataJSON() as { contentType: string; size: number; name: string };
  expect(body).toMatchObject({ contentType: "image/jpeg", name: "photo.jpg" });
  expect(body.size).toBeGreaterThan(1000);
  expect(((await (await finished).json()) as { bytes: number }).bytes).toBe(body.size);
  await wizard.waitForCropStep();
  expect(await trackStates(page)).toEqual(["ended"]); // one stream, off once the panel closed

  // The fake camera's frame is 4:3; the crop step shows it like any other picture.
  const crop = await wizard.crop();
  expect(crop.width).toBe(crop.height);
  const avatarId = await wizard.save();
  await expect(wizard.historyItems().first()).toHaveAttribute("data-avatar-id", avatarId);
});

test("Escape and Cancel close the camera panel, turn the camera off and give focus back to Take a photo", async ({ page }) => {
  await watchStreams(page);
  const wizard = new Wizard(page);
  await wizard.signIn(newUserName("escape"));
  await wizard.openUpload();

  await openCameraByKeyboard(page);
  await expect(cameraDialog(page).getByRole("button", { name: "Capture" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(cameraDialog(page)).toBeHidden();
  await expect(takePhotoButton(page)).toBeFocused();
  // The dialog's close event comes a task after the focus moved back (and Chromium may skip the
  // cancel event for an Escape), so wait for the camera to go off rather than read it at once.
  await expect.poll(() => trackStates(page)).toEqual(["ended"]);

  await page.keyboard.press("Enter");
  await expect(cameraDialog(page).getByRole("button", { name: "Capture" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(cameraDialog(page).getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(cameraDialog(page)).toBeHidden();
  await expect(takePhotoButton(page)).toBeFocused();
  expect(await trackStates(page)).toEqual(["ended", "ended"]); // Cancel stops it in its own click
  await expect(page).toHaveURL(/\/avatar\/new$/); // nothing was uploaded
});

test("no camera: the panel says so (getUserMedia replaced to reject with NotFoundError, which the fake device cannot do)", async ({ page }) => {
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("Requested device not found", "NotFoundError"));
  });
  const wizard = new Wizard(page);
  await wizard.signIn(newUserName("nocam"));
  await wizard.openUpload();
  await openCameraByKeyboard(page);
  await expect(cameraDialog(page).getByRole("alert")).toHaveText(/^No camera was found\./);
  await expectNoSeriousA11yViolations(page, "camera panel, no camera");
  await cameraDialog(page).getByRole("button", { name: "Cancel" }).press("Enter");
  await expect(takePhotoButton(page)).toBeFocused();
});

test.describe("on an insecure origin (window.isSecureContext replaced with false: loopback is always secure)", () => {
  const insecure = (page: Page) =>
    page.addInitScript(() => {
      Object.defineProperty(window, "isSecureContext", { get: () => false });
    });

  test("a desktop is told the camera needs HTTPS, and no camera is asked for", async ({ page }) => {
    await insecure(page);
    await watchStreams(page);
    const wizard = new Wizard(page);
    await wizard.signIn(newUserName("insecure"));
    await wizard.openUpload();
    await openCameraByKeyboard(page);
    await expect(cameraDialog(page).getByRole("alert")).toContainText("secure connection");
    await expect(cameraDialog(page).getByRole("alert")).toContainText("HTTPS");
    await expect(cameraDialog(page).getByRole("button", { name: "Try again" })).toHaveCount(0);
    expect(await trackStates(page)).toEqual([]);
    await expectNoSeriousA11yViolations(page, "camera panel, insecure origin");
  });

  test.describe("a phone", () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 });

    test("opens its own camera through a file input with capture=user, and the photo is uploaded", async ({ page }) => {
      await insecure(page);
      const wizard = new Wizard(page);
      await wizard.signIn(newUserName("phone"));
      await wizard.openUpload();
      expect(await page.evaluate(() => matchMedia("(pointer: coarse)").matches)).toBe(true);
      const chooser = page.waitForEvent("filechooser");
      await takePhotoButton(page).tap();
      const fileChooser = await chooser;
      expect(await fileChooser.element().getAttribute("capture")).toBe("user");
      await expect(cameraDialog(page)).toBeHidden();
      await fileChooser.setFiles({ name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: await plainJpeg(960, 1280, 32) });
      await wizard.waitForCropStep();
    });
  });
});

test.describe("on a phone (390×844, touch)", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 });

  test("the camera panel fits the screen, and a tapped photo goes to the crop step", async ({ page }, testInfo) => {
    const wizard = new Wizard(page);
    await wizard.signIn(newUserName("phonecam"));
    await wizard.openUpload();
    await takePhotoButton(page).tap();
    const dialog = cameraDialog(page);
    await expect(dialog.getByRole("button", { name: "Capture" })).toBeEnabled();
    const fits = () =>
      dialog.evaluate((node) => {
        const rect = node.getBoundingClientRect();
        return { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom, width: innerWidth, height: innerHeight };
      });
    for (const state of ["live", "photo"] as const) {
      const box = await fits();
      expect(box.left, state).toBeGreaterThanOrEqual(0);
      expect(box.right, state).toBeLessThanOrEqual(box.width);
      expect(box.top, state).toBeGreaterThanOrEqual(0);
      expect(box.bottom, state).toBeLessThanOrEqual(box.height); // Capture and Cancel reachable without scrolling
      await expectNoSeriousA11yViolations(page, `camera panel, ${state} (phone)`);
      await page.screenshot({ path: testInfo.outputPath(`camera-${state}-phone.png`) });
      if (state === "live") {
        await dialog.getByRole("button", { name: "Capture" }).tap();
        await expect(dialog.getByRole("img", { name: "The photo you took" })).toBeVisible();
      }
    }
    await dialog.getByRole("button", { name: "Use this photo" }).tap();
    await wizard.waitForCropStep();
  });
});
