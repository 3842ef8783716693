import { expect, test, type BrowserContext, type Page } from "@playwright/test";

import { APP_ORIGIN } from "./single/config";
import { cameraDialog, openCameraByKeyboard, takePhotoButton } from "./pages/camera";
import { Wizard } from "./pages/wizard";
import { expectNoSeriousA11yViolations } from "./support/a11y";
import { plainJpeg } from "./support/pictures";

/**
 * A user who refused the camera. This runs in a project with Chromium's fake camera but without
 * --use-fake-ui-for-media-stream: that flag accepts every request, even for an origin whose camera
 * permission is set to denied, so the refusal could not be seen with it.
 */

/** Denies the camera to this context's pages, as a user's "Block" would (CDP Browser.setPermission). */
async function denyCamera(context: BrowserContext, page: Page) {
  const pageSession = await context.newCDPSession(page);
  const { targetInfo } = await pageSession.send("Target.getTargetInfo");
  const browserSession = await context.browser()!.newBrowserCDPSession();
  await browserSession.send("Browser.setPermission", {
    permission: { name: "camera" },
    setting: "denied",
    origin: APP_ORIGIN,
    browserContextId: targetInfo.browserContextId,
  });
}

test("a denied camera permission says how to allow it, and a file can still be chosen", async ({ context, page }) => {
  await denyCamera(context, page);
  const wizard = new Wizard(page);
  await wizard.signIn(`denied-${Date.now()}`);
  await wizard.openUpload();

  await openCameraByKeyboard(page);
  const alert = cameraDialog(page).getByRole("alert");
  await expect(alert).toHaveText(/^Camera permission was denied\. To take a photo, allow the camera for this site/);
  await expect(cameraDialog(page).getByRole("button", { name: "Try again" })).toBeVisible();
  await expect(cameraDialog(page).getByRole("button", { name: "Capture" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page, "camera panel, permission denied");

  await page.keyboard.press("Escape");
  await expect(takePhotoButton(page)).toBeFocused();
  await wizard.chooseFile({ name: "instead.jpg", mimeType: "image/jpeg", buffer: await plainJpeg(640, 480, 31) });
  await wizard.waitForCropStep();
});

test("the same browser with the permission granted shows the camera (the refusal above is the permission's doing)", async ({ context, page }) => {
  await context.grantPermissions(["camera"], { origin: APP_ORIGIN });
  const wizard = new Wizard(page);
  await wizard.signIn(`granted-${Date.now()}`);
  await wizard.openUpload();
  await openCameraByKeyboard(page);
  await expect(cameraDialog(page).getByRole("button", { name: "Capture" })).toBeEnabled();
  await expect(cameraDialog(page).getByRole("alert")).toHaveCount(0);
});

