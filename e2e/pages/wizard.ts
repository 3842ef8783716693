import { expect, type Page, type Request } from "@playwright/test";

/** Page object for the three wizard steps and the pages around them. */
export class Wizard {
  constructor(readonly page: Page) {}

  async signIn(name: string, returnTo = "/") {
    await this.page.goto(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
    await this.page.getByLabel(/Name or e-mail/).fill(name);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(this.page.getByRole("navigation", { name: "Account" })).toContainText(name.toLowerCase());
  }

  async openUpload() {
    await this.page.goto("/avatar/new");
    await expect(this.page.getByRole("heading", { name: "Choose a picture" })).toBeVisible();
  }

  /** "Choose a file" (the other file input, with capture, is the phone camera's fallback). */
  fileInput() {
    return this.page.locator('input[type="file"]:not([capture])');
  }

  async chooseFile(file: { name: string; mimeType: string; buffer: Buffer }) {
    await this.fileInput().setInputFiles(file);
  }

  /** The crop step is shown and interactive; with the early crop step its upload may still be going. */
  async waitForCropStepShown() {
    await this.page.waitForURL(/\/avatar\/new\/[0-9a-f]{32}$/);
    await expect(this.page.getByRole("heading", { name: "Crop your picture" })).toBeVisible();
    await expect(this.page.getByTestId("cropper").locator("img")).toBeVisible();
  }

  /** The crop step is shown and its upload is in S3 and checked (as it always is without the early crop step). */
  async waitForCropStep() {
    await this.waitForCropStepShown();
    await expect(this.page.locator('[data-testid="upload-progress"]:not([data-stage="ready"])')).toHaveCount(0, { timeout: 60_000 });
    // A failed upload or check goes back to step 1, where there is no progress either: say why here,
    // not later as a timeout on a "Crop" button that is gone.
    if (!(await this.page.getByRole("heading", { name: "Crop your picture" }).isVisible())) {
      const alerts = await this.page.getByRole("alert").allInnerTexts();
      throw new Error(`the crop step is gone after the upload; the page says: ${alerts.join(" / ") || "nothing"}`);
    }
  }

  uploadProgress() {
    return this.page.getByTestId("upload-progress");
  }

  uploadIdFromUrl(): string {
    return /\/avatar\/new\/([0-9a-f]{32})/.exec(this.page.url())![1]!;
  }

  /** Crops, returning the JSON body the browser sent (the crop in original pixels). */
  async crop(): Promise<{ left: number; top: number; width: number; height: number; rotation: number }> {
    const cropRequest = this.page.waitForRequest((request: Request) => request.method() === "POST" && /\/crop$/.test(request.url()));
    await this.page.getByRole("button", { name: "Crop", exact: true }).click();
    const body = (await cropRequest).postDataJSON() as { left: number; top: number; width: number; height: number; rotation: number };
    await this.page.waitForURL(/\/avatar\/new\/[0-9a-f]{32}\/[0-9]{13}[0-9a-f]{12}$/);
    await expect(this.page.getByTestId("crop-result")).toBeVisible();
    return body;
  }

  async save(): Promise<string> {
    await this.page.getByRole("button", { name: "Save as my avatar" }).click();
    await this.page.waitForURL(/\/avatar\/history\?saved=/);
    const saved = new URL(this.page.url()).searchParams.get("saved")!;
    await expect(this.page.getByRole("status").filter({ hasText: "Your new avatar is saved." })).toBeVisible();
    await expect(this.headerAvatar()).toHaveAttribute("data-avatar-id", saved);
    return saved;
  }

  headerAvatar() {
    return this.page.getByTestId("header-avatar");
  }

  historyItems() {
    return this.page.getByTestId("history-item");
  }
}
