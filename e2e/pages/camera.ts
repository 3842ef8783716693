import { expect, type Page } from "@playwright/test";

/** The "Take a photo" button and its panel (components/camera-capture.tsx). */
export const cameraDialog = (page: Page) => page.getByRole("dialog", { name: "Take a photo" });
export const takePhotoButton = (page: Page) => page.getByRole("button", { name: "Take a photo" });

/** Tab from the "Choose a file" input to "Take a photo" and press Enter: the keyboard way in. */
export async function openCameraByKeyboard(page: Page) {
  await page.locator('input[type="file"]:not([capture])').focus();
  await page.keyboard.press("Tab");
  await expect(takePhotoButton(page)).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(cameraDialog(page)).toBeVisible();
}
