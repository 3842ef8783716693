/** The wizard's pages in Chromium: scripts fetched per page (fresh context each), and the images the crop page loads. */
import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";

export type PageJs = { page: string; url: string; scripts: number; transferBytes: number; gzipBytes: number };

/** Names of the pages measured; the empty page is a URL no route matches (the app's 404). */
export const EMPTY_PAGE = "empty (404)";
export const CROP_PAGE = "crop";

export async function browserPages(appOrigin: string, cookies: { name: string; value: string }[], pages: { page: string; path: string }[], log: (line: string) => void) {
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));
  const { chromium } = await import("@playwright/test");
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const results: PageJs[] = [];
  let images = { bytes: 0, requests: 0 };
  try {
    for (const { page: name, path: pathname } of pages) {
      // A fresh context per page: an empty cache, so every script the page needs is fetched.
      const context = await browser.newContext();
      await context.addCookies(cookies.map((cookie) => ({ ...cookie, url: appOrigin })));
      const page = await context.newPage();
      const scripts: Promise<{ transfer: number; gzip: number }>[] = [];
      const pictures: Promise<number>[] = [];
      page.on("response", (response) => {
        const type = response.request().resourceType();
        if (type === "script") {
          scripts.push(
            (async () => {
              const sizes = await response.request().sizes();
              const body = await response.body().catch(() => Buffer.alloc(0));
              return { transfer: sizes.responseBodySize, gzip: gzipSync(body).length };
            })(),
          );
        } else if (type === "image") {
          pictures.push(response.request().sizes().then((sizes) => sizes.responseBodySize));
        }
      });
      await page.goto(`${appOrigin}${pathname}`, { waitUntil: "networkidle" });
      const sized = await Promise.all(scripts);
      results.push({
        page: name,
        url: pathname,
        scripts: sized.length,
        transferBytes: sized.reduce((sum, s) => sum + s.transfer, 0),
        gzipBytes: sized.reduce((sum, s) => sum + s.gzip, 0),
      });
      if (name === CROP_PAGE) {
        const bytes = await Promise.all(pictures);
        images = { bytes: bytes.reduce((a, b) => a + b, 0), requests: bytes.length };
      }
      log(`  ${name} page: ${sized.length} scripts`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { pages: results, images, chromium: `${executablePath ?? "Playwright's bundled Chromium"} ${browser.version()}` };
}
