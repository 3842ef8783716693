import type { Page, Route } from "@playwright/test";

/** The S3 origin the e2e app uses (the embedded server, or the real S3 of e2e-real-s3). */
export const S3_ORIGIN = new URL(process.env.E2E_S3_ENDPOINT_IN_USE ?? "http://127.0.0.1:4590").origin;

/**
 * Holds every POST or PUT to S3 (the file upload, by either S3_UPLOAD_METHOD) until release() is
 * called, so "the upload has not finished yet" is a state a test can look at, not a race with the
 * network. `held` settles once the first upload is being held.
 */
export async function holdS3Uploads(page: Page): Promise<{ release: () => void; held: Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let heldOne!: () => void;
  const held = new Promise<void>((resolve) => (heldOne = resolve));
  await page.route(
    (url) => url.origin === S3_ORIGIN,
    async (route: Route) => {
      if (!["POST", "PUT"].includes(route.request().method())) return route.continue();
      heldOne();
      await released;
      await route.continue().catch(() => undefined); // the page may have gone (a reload): nothing to send
    },
  );
  return { release, held };
}
