import { expect, test, type Page, type Request } from "@playwright/test";

import type { PresignedUpload, StartedUpload } from "@/lib/avatars/api-types";

import { APP_ORIGIN } from "./single/config";
import { Wizard } from "./pages/wizard";
import { plainJpeg } from "./support/pictures";

/**
 * What the app signed, enforced by S3 itself, seen from the browser: the POST policy
 * (S3_UPLOAD_METHOD=post) or the presigned PUT's signed Content-Length and Content-Type (put). A
 * lying or buggy client announces something other than the file it then sends: `page.route`
 * rewrites the JSON body of POST /api/uploads, the server signs for what was announced, and the
 * browser's real upload then goes to S3 unchanged.
 *
 * Refusing a larger file takes an S3 that enforces what was signed, so that test is skipped on
 * the embedded s3rver (it checks neither policies nor signed headers: there the app's own check,
 * UPLOAD_MAX_BYTES and the sniffed type, is what holds); `npm run test:e2e:ceph` runs it on Ceph
 * RGW, and any S3 named by S3_TEST_ENDPOINT runs it too.
 */

const SKIP_REASON =
  "s3rver enforces neither POST policies nor signed PUT headers; this test needs an enforcing S3 (npm run test:e2e:ceph, or S3_TEST_ENDPOINT)";
const notEnforcing = () => process.env.E2E_S3_KIND !== "external";

let userCounter = 0;
const newUserName = (label: string) => `${label}-${Date.now()}-${++userCounter}`;

type Announced = {
  uploadId: string;
  /** What the page sent before the rewrite, and what the server was told instead. */
  original: { contentType: string; size: number };
  sent: { contentType: string; size: number };
  /** What the server signed: a POST form or a PUT URL. */
  upload: PresignedUpload;
};

/** Rewrites the next POST /api/uploads so it announces `change` instead of the real file. */
async function announceInstead(page: Page, change: Partial<{ contentType: string; size: number }>): Promise<Promise<Announced>> {
  let resolve!: (value: Announced) => void;
  const announced = new Promise<Announced>((r) => (resolve = r));
  await page.route("**/api/uploads", async (route) => {
    const request = route.request();
    if (request.method() !== "POST") return route.fallback();
    const original = request.postDataJSON() as { contentType: string; size: number; name?: string };
    const sent = { ...original, ...change };
    const response = await route.fetch({ postData: JSON.stringify(sent) });
    const json = (await response.json()) as StartedUpload;
    expect(response.status(), JSON.stringify(json)).toBe(201);
    resolve({ uploadId: json.uploadId, original, sent, upload: json.upload });
    await route.fulfill({ response, json });
  });
  return announced;
}

/** The signed POST policy's conditions. */
const policyOf = (upload: PresignedUpload & { method: "post" }) =>
  (JSON.parse(Buffer.from(upload.fields.Policy!, "base64").toString("utf8")) as { conditions: unknown[] }).conditions;

/** The browser's upload to S3 (a POST or PUT not to the app) and how it ended: S3's answer, or a failure the page saw as a network error. */
function s3Upload(page: Page): Promise<{ status: number; body: string } | { failed: string }> {
  const isUpload = (request: Request) => ["POST", "PUT"].includes(request.method()) && !request.url().startsWith(APP_ORIGIN);
  return new Promise((resolve) => {
    page.on("requestfinished", (request) => {
      if (isUpload(request)) void request.response().then(async (response) => resolve({ status: response!.status(), body: await response!.text().catch(() => "") }));
    });
    page.on("requestfailed", (request) => {
      if (isUpload(request)) resolve({ failed: request.failure()?.errorText ?? "failed" });
    });
  });
}

test.describe("S3 enforces what the app signed (POST policy or PUT headers)", () => {
  test("a file larger than the browser announced is refused by S3; the user is told; nothing is written", { tag: "@upload" }, async ({ page }) => {
    test.skip(notEnforcing(), SKIP_REASON);
    const wizard = new Wizard(page);
    await wizard.signIn(newUserName("liar"));
    await wizard.openUpload();

    const buffer = await plainJpeg(900, 700, 31);
    const announcedSize = Math.floor(buffer.length / 2);
    const announced = announceInstead(page, { size: announcedSize });
    const finishCalls: string[] = [];
    page.on("request", (request) => {
      if (/\/finish$/.test(request.url())) finishCalls.push(request.url());
    });
    const s3Answer = s3Upload(page);
    await wizard.chooseFile({ name: "bigger.jpg", mimeType: "image/jpeg", buffer });

    const { uploadId, original, upload } = await announced;
    expect(original.size).toBe(buffer.length);
    const s3 = await s3Answer;
    const alert = page.locator("main [role=alert]");
    if (upload.method === "post") {
      // the server pinned the policy to what it was told, not to the real file
      expect(policyOf(upload)).toContainEqual(["content-length-range", 1, announcedSize]);
      expect(s3).toMatchObject({ status: 400 });
      expect("body" in s3 && s3.body).toContain("<Code>EntityTooLarge</Code>");
      await expect(alert).toContainText("Storage refused the file: it is larger than allowed (at most 3 MB, and no larger than when it was chosen)");
    } else {
      // the size is a signed header: another one breaks the signature. Ceph RGW answers 403
      // SignatureDoesNotMatch without CORS headers, so the page sees only a failed request.
      expect(new URL(upload.url).searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
      console.log(`PUT of a larger file than signed: ${JSON.stringify("status" in s3 ? { status: s3.status, code: /<Code>([^<]+)/.exec(s3.body)?.[1] } : s3)}`);
      if ("status" in s3) expect(s3.status).toBe(403);
      await expect(alert).toContainText(/did not go through: storage could not be reached, or refused the file|the file did not match what was announced/);
    }
    await expect(page).toHaveURL(/\/avatar\/new$/);
    expect(finishCalls).toEqual([]); // the page did not go on to the finish step

    // S3 wrote nothing: the app finds neither the original nor a preview for that upload id
    const state = await page.request.get(`/api/uploads/${uploadId}`);
    expect(state.status()).toBe(404);
    expect((await state.json()).error.code).toBe("upload_not_found");
    const finish = await page.request.post(`/api/uploads/${uploadId}/finish`, { headers: { origin: APP_ORIGIN } });
    expect(finish.status()).toBe(404);
    expect((await page.request.get("/api/avatars").then((r) => r.json())).items).toEqual([]);

    // the same file, announced honestly, goes through: the refusal was about the lie, not the file
    await page.unrouteAll();
    await wizard.chooseFile({ name: "bigger.jpg", mimeType: "image/jpeg", buffer });
    await wizard.waitForCropStep();
  });

  test("a JPEG announced as image/png: S3 checks the signed type, not the bytes; the app's own check finds a JPEG", { tag: "@upload" }, async ({ page }) => {
    const wizard = new Wizard(page);
    await wizard.signIn(newUserName("mislabel"));
    await wizard.openUpload();

    const buffer = await plainJpeg(800, 600, 32);
    const announced = announceInstead(page, { contentType: "image/png" });
    const s3Answer = s3Upload(page);
    const finishAnswer = page.waitForResponse((r) => r.request().method() === "POST" && /\/finish$/.test(r.url()));
    await wizard.chooseFile({ name: "photo.jpg", mimeType: "image/jpeg", buffer });

    const { uploadId, original, upload } = await announced;
    expect(original.contentType).toBe("image/jpeg");
    if (upload.method === "post") {
      expect(policyOf(upload)).toContainEqual({ "Content-Type": "image/png" });
      // The page sends the signed fields as they are (Content-Type: image/png), and the file part with
      // the file's own type (image/jpeg). S3 checks the form field against the policy, so it accepts.
      expect(upload.fields["Content-Type"]).toBe("image/png");
    } else {
      // The page sends exactly the signed headers (Content-Type: image/png), so S3 accepts the PUT.
      expect(upload.headers).toEqual({ "Content-Type": "image/png" });
    }
    expect(await s3Answer).toMatchObject({ status: upload.method === "post" ? 204 : 200 });

    // S3 cannot see what the bytes are; the finish step sniffs them and knows it is a JPEG
    const finish = await finishAnswer;
    expect(finish.status()).toBe(200);
    const ready = (await finish.json()) as { format: string; bytes: number };
    expect([ready.format, ready.bytes]).toEqual(["jpeg", buffer.length]);
    await wizard.waitForCropStep();
    expect(wizard.uploadIdFromUrl()).toBe(uploadId);
  });
});
