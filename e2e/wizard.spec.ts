import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type Request } from "@playwright/test";
import sharp from "sharp";

import { APP_ORIGIN, UPLOAD_MAX_BYTES } from "./single/config";
import { Wizard } from "./pages/wizard";
import { expectAvatarIsCrop } from "./support/avatar-checks";
import { phonePhoto, plainJpeg } from "./support/pictures";

async function expectNoSeriousA11yViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** The tier's S3_UPLOAD_METHOD (its environment is the app's): how the browser sends the file to S3. */
const UPLOAD_VERB = process.env.S3_UPLOAD_METHOD === "put" ? "PUT" : "POST";

// Tags pick what the variant tiers rerun (test/harness/runner/tiers.ts): @upload depends on how the
// file reaches S3 (method, browser shrink, the store's checks); @smoke is the Node 22 tier's walk.
let userCounter = 0;
const newUserName = (label: string) => `${label}-${Date.now()}-${++userCounter}`;

test("a user uploads straight to S3 with progress, crops, saves, and sees the avatar in the header and history", { tag: ["@upload", "@smoke"] }, async ({ page }) => {
  // The longest walk of the suite (three accessibility scans, two reloads, the S3 listings): about
  // 18 s on a quiet 2-core machine, 56-66 s on one running ten times its cores; nothing in it waits on a clock.
  test.setTimeout(120_000);
  const wizard = new Wizard(page);
  const cspViolations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await wizard.signIn(newUserName("alice"));
  await expect(page.getByTestId("header-avatar-empty")).toBeVisible();

  // Record every request body the browser sends, to prove no image byte goes to the app server.
  const requests: Request[] = [];
  page.on("requestfinished", (request) => requests.push(request));

  await wizard.openUpload();
  await expectNoSeriousA11yViolations(page, "upload step");

  // Slow the upload down so the progress bar shows intermediate values, as on a real network.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 400 * 1024 });

  const photo = await phonePhoto(11);
  expect(photo.buffer.length).toBeGreaterThan(500 * 1024);
  const progressValues: number[] = [];
  const poll = setInterval(() => {
    page
      .locator("#upload-progress")
      .getAttribute("value", { timeout: 50 })
      .then((value) => value && progressValues.push(Number(value)))
      .catch(() => undefined);
  }, 50);
  await wizard.chooseFile(photo);
  await expect(page.getByText(/Uploading phone-11\.jpg: .* of /)).toBeVisible();
  await wizard.waitForCropStep();
  clearInterval(poll);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  expect(progressValues.some((v) => v > 0 && v < photo.buffer.length), `progress seen: ${progressValues.join(",")}`).toBe(true);

  // Playwright cannot measure a body holding a File, so the proof has three parts: every request to
  // the app is small and none is multipart; exactly one upload went to S3 (a multipart POST, or with
  // S3_UPLOAD_METHOD=put a PUT of the file with its signed type); and the object S3 holds (reported
  // by the finish check) has the file's exact size.
  const toApp = requests.filter((r) => r.url().startsWith(APP_ORIGIN));
  const appBodies = toApp.map((r) => r.postDataBuffer()?.length ?? 0);
  expect(Math.max(...appBodies)).toBeLessThan(4096);
  expect(toApp.filter((r) => (r.headers()["content-type"] ?? "").startsWith("multipart/"))).toEqual([]);
  const toS3 = requests.filter((r) => !r.url().startsWith(APP_ORIGIN) && r.method() === UPLOAD_VERB);
  expect(toS3).toHaveLength(1);
  expect(toS3[0]!.headers()["content-type"]).toMatch(UPLOAD_VERB === "PUT" ? /^image\/jpeg$/ : /^multipart\/form-data/);
  const finish = requests.find((r) => /\/finish$/.test(r.url()))!;
  expect((await (await finish.response())!.json()).bytes).toBe(photo.buffer.length);
  console.log(`step 1: ${toApp.length} requests to the app, largest body ${Math.max(...appBodies)} B; 1 ${UPLOAD_VERB} to S3 (${toS3[0]!.url().split("?")[0]}), file ${photo.buffer.length} B`);

  await expectNoSeriousA11yViolations(page, "crop step");

  // Reload mid-wizard: the URL and S3 carry the state.
  await page.reload();
  await wizard.waitForCropStep();

  // Keyboard use: move the crop with the arrow keys, zoom with the slider, rotate with a button.
  await page.getByRole("group", { name: /Crop area/ }).focus();
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await page.getByLabel("Zoom").fill("1.5");
  await page.getByRole("button", { name: "Rotate right" }).click();
  await expect(page.getByText("Rotation: 90°")).toBeVisible();
  const uploadId = wizard.uploadIdFromUrl();
  const crop = await wizard.crop();
  expect(crop.rotation).toBe(90);
  expect(crop.width).toBe(crop.height);

  await expectNoSeriousA11yViolations(page, "save step");
  await page.reload(); // mid-wizard again, on step 3
  await expect(page.getByTestId("crop-result")).toBeVisible();

  const avatarId = await wizard.save();
  await expect(wizard.historyItems()).toHaveCount(1);
  await expect(wizard.historyItems().first()).toHaveAttribute("data-current", "true");
  await expectNoSeriousA11yViolations(page, "history");

  // The avatar is the crop the user chose: compare pixels with the same crop done here.
  await expectAvatarIsCrop(page.request, (await wizard.headerAvatar().getAttribute("src"))!, photo.buffer, crop);

  // The stable URL redirects to the current rendition.
  const me = await page.request.get("/api/avatars?limit=1");
  expect((await me.json()).items[0].avatarId).toBe(avatarId);
  await page.goto("/");
  const stablePath = (await page.locator("code").filter({ hasText: /^\/avatars\/[0-9a-f]{28}\/128$/ }).textContent())!;
  const redirect = await page.request.get(stablePath, { maxRedirects: 0 });
  expect(redirect.status()).toBe(302);
  expect(redirect.headers()["location"]).toContain(`/renditions/${avatarId}/128.webp`);
  const followed = await page.request.get(stablePath);
  expect(followed.status()).toBe(200);
  expect((await sharp(Buffer.from(await followed.body())).metadata()).width).toBe(128);

  expect(cspViolations, "the whole wizard ran under the Content-Security-Policy").toEqual([]);

  // The upload's temporary objects are gone: its crop page now says so.
  await page.goto(`/avatar/new/${uploadId}`);
  await expect(page.locator("main [role=alert]")).toContainText("not found");
});

test("history: switch to an earlier avatar and delete one; the header follows", async ({ page }) => {
  const wizard = new Wizard(page);
  await wizard.signIn(newUserName("bob"));
  const ids: string[] = [];
  for (const seed of [21, 22]) {
    await wizard.openUpload();
    await wizard.chooseFile({ name: `pic-${seed}.jpg`, mimeType: "image/jpeg", buffer: await plainJpeg(900, 700, seed) });
    await wizard.waitForCropStep();
    await wizard.crop();
    ids.push(await wizard.save());
  }
  await expect(wizard.historyItems()).toHaveCount(2);
  await expect(wizard.historyItems().first()).toHaveAttribute("data-avatar-id", ids[1]!); // newest first

  const older = page.locator(`[data-avatar-id="${ids[0]}"]`);
  await older.getByRole("button", { name: "Use this one" }).click();
  await expect(page.getByRole("status").filter({ hasText: "This is now your avatar." })).toBeVisible();
  await expect(wizard.headerAvatar()).toHaveAttribute("data-avatar-id", ids[0]!);

  await older.getByRole("button", { name: "Delete" }).click();
  await expect(wizard.historyItems()).toHaveCount(1);
  await expect(page.getByTestId("header-avatar-empty")).toBeVisible();
  await page.reload();
  await expect(wizard.historyItems()).toHaveCount(1);
  await expect(wizard.historyItems().first()).toHaveAttribute("data-avatar-id", ids[1]!);
});

test("an upload can be cancelled while it is sent, and another picture chosen", { tag: "@upload" }, async ({ page }) => {
  const wizard = new Wizard(page);
  await wizard.signIn(newUserName("frank"));
  await wizard.openUpload();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 50 * 1024 });
  await wizard.chooseFile(await phonePhoto(12));
  await expect(page.getByText(/Uploading phone-12\.jpg: .* of /)).toBeVisible();
  await page.getByRole("button", { name: "Cancel upload" }).click();
  await expect(page.locator("main [role=alert]")).toHaveText("Upload cancelled.");
  await expect(page).toHaveURL(/\/avatar\/new$/);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  await wizard.chooseFile({ name: "second.jpg", mimeType: "image/jpeg", buffer: await plainJpeg(700, 700, 13) });
  await wizard.waitForCropStep();
});

test.describe("bad input gets a clear message and leaves nothing behind", () => {
  test("a text file named .jpg, a truncated JPEG, an oversized file", { tag: "@upload" }, async ({ page }) => {
    const wizard = new Wizard(page);
    await wizard.signIn(newUserName("carol"));
    await wizard.openUpload();

    await wizard.chooseFile({ name: "notes.jpg", mimeType: "image/jpeg", buffer: Buffer.from("these are my notes, not a picture") });
    await expect(page.locator("main [role=alert]")).toContainText("not a picture we can read");

    const jpeg = await plainJpeg(800, 600, 5);
    await wizard.chooseFile({ name: "broken.jpg", mimeType: "image/jpeg", buffer: jpeg.subarray(0, Math.floor(jpeg.length / 2)) });
    await expect(page.locator("main [role=alert]")).toContainText("damaged or incomplete");

    await wizard.chooseFile({ name: "huge.jpg", mimeType: "image/jpeg", buffer: Buffer.alloc(UPLOAD_MAX_BYTES + 1, 7) });
    await expect(page.locator("main [role=alert]")).toContainText("is 3,145,729 bytes; the limit is 3,145,728 bytes (3 MB).");

    await wizard.chooseFile({ name: "page.html", mimeType: "text/html", buffer: Buffer.from("<script>alert(1)</script>") });
    await expect(page.locator("main [role=alert]")).toContainText("not a supported picture");

    await expect(page).toHaveURL(/\/avatar\/new$/);
    const list = await page.request.get("/api/avatars");
    expect((await list.json()).items).toEqual([]);
  });

  test("another user's upload id is not found; a malformed id is refused; no session is 401", async ({ page, browser }) => {
    const owner = new Wizard(page);
    await owner.signIn(newUserName("dave"));
    await owner.openUpload();
    await owner.chooseFile({ name: "mine.jpg", mimeType: "image/jpeg", buffer: await plainJpeg(600, 600, 9) });
    await owner.waitForCropStep();
    const uploadId = owner.uploadIdFromUrl();

    const otherContext = await browser.newContext();
    const other = new Wizard(await otherContext.newPage());
    await other.signIn(newUserName("eve"));
    await other.page.goto(`/avatar/new/${uploadId}`);
    await expect(other.page.locator("main [role=alert]")).toContainText("not found");
    const crop = await other.page.request.post(`/api/uploads/${uploadId}/crop`, {
      data: { left: 0, top: 0, width: 10, height: 10, rotation: 0 },
      headers: { origin: APP_ORIGIN },
    });
    expect(crop.status()).toBe(404);
    expect((await crop.json()).error.code).toBe("upload_not_found");
    const malformed = await other.page.request.post(`/api/uploads/..%2F..%2Fetc/crop`, { data: {}, headers: { origin: APP_ORIGIN } });
    expect([400, 404]).toContain(malformed.status());
    const badCrop = await page.request.post(`/api/uploads/${uploadId}/crop`, {
      data: { left: -5, top: 0, width: "big", height: 10, rotation: 45 },
      headers: { origin: APP_ORIGIN },
    });
    expect(badCrop.status()).toBe(400);
    expect((await badCrop.json()).error.code).toBe("invalid_crop");
    await otherContext.close();

    const anonymous = await page.context().browser()!.newContext();
    const response = await anonymous.request.get(`${APP_ORIGIN}/api/avatars`);
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe("unauthorized");
    const pageResponse = await (await anonymous.newPage()).goto(`${APP_ORIGIN}/avatar/new`);
    expect(pageResponse?.url()).toContain("/signin?callbackUrl=%2Favatar%2Fnew");
    await anonymous.close();
  });
});

test("the sign-in page is accessible and carries the security headers", async ({ page }) => {
  const response = await page.goto("/signin");
  await expectNoSeriousA11yViolations(page, "sign-in");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toBe("camera=(self), microphone=(), geolocation=(), payment=(), usb=()");
  expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
  expect(headers["x-served-by"]).toBe("e2e-1");
  expect(headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
});
