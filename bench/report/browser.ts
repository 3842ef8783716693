/** The browser-side sections: bytes through the app in step 1, what the crop step downloads, the wizard's JavaScript. */
import { finishUpload } from "@/lib/avatars/finish-upload";
import { scaleCropToOriginal } from "@/lib/images/crop-geometry";

import { PIXEL_CHECK_SIDE, SAME_PICTURE_BELOW } from "../pixel-check";
import { formatBytes, median } from "../stats";
import type { WebResults } from "../web";
import { EMPTY_PAGE } from "../web/browser-pages";
import { section, times } from "./markdown";
import type { Results } from "./results";

export function browserErrorSection(results: Results): string[] {
  return results.webError ? section("Browser side", `Not measured: ${results.webError}`) : [];
}

function step1Section(web: WebResults): string[] {
  const neverThrough = web.step1.every((row) => row.appReceived < row.fileBytes);
  const readsBack = Math.round(median(web.step1.map((row) => row.appFromS3 / row.fileBytes)));
  return section(
    "Step 1: bytes through the app per upload",
    `Measured on a production build (\`next build\` of a copy of the working tree, \`next start\`) behind a byte-counting loopback proxy; a Node client signs in (development sign-in: ${web.signIn.appReceived} B up, ${web.signIn.appSent} B down, once), then per file: presign → multipart POST straight to S3 → finish. The app's own S3 traffic goes through a second counting proxy.`,
    [
      "| file | size | app received (requests incl. headers, cookies) | app sent | client → S3 directly | app ← S3 (finish reads the original back) | app → S3 |",
      "|---|---:|---:|---:|---:|---:|---:|",
      ...web.step1.map(
        (row) =>
          `| ${row.file} | ${formatBytes(row.fileBytes)} | ${row.appReceived} B | ${row.appSent} B | ${formatBytes(row.clientToS3)} | ${formatBytes(row.appFromS3)} | ${formatBytes(row.appToS3)} |`,
      ),
    ],
    web.step1.length > 0 &&
      (neverThrough ? "The file never passes through the app's HTTP side. " : "") +
        `The app does read it back from S3 ${times(readsBack)}, server side, in \`${finishUpload.name}\` (size, real type, pixel count, completeness, preview): that is the app ← S3 column.`,
  );
}

function step2Section(web: WebResults): string[] {
  const p = web.preview;
  if (!p) return [];
  const browserSaw = Number.isFinite(p.browserImageBytes);
  const square = p.originalRect.width === p.originalRect.height ? ", kept square" : "";
  const same = p.contentDifference < SAME_PICTURE_BELOW ? ": the same picture" : "";
  return section(
    "Step 2: what the browser downloads to show the crop step",
    `${p.file} (${p.displayed.width}×${p.displayed.height}, ${formatBytes(p.originalBytes)}): the page shows the preview, ${p.previewSize.width}×${p.previewSize.height}, ${formatBytes(p.previewBytes)} = 1/${(p.originalBytes / p.previewBytes).toFixed(1)} of the original. In Chromium the crop page fetched ${p.browserImageRequests} image(s), ${browserSaw ? formatBytes(p.browserImageBytes) : "–"} in all` +
      (browserSaw && p.browserImageBytes < p.originalBytes ? "; the original is never sent to the browser." : "."),
    `Crop coordinates still map onto the original: the page scales the rectangle it gets on the preview by original/preview per axis (\`${scaleCropToOriginal.name}\`). Here ${JSON.stringify(p.previewRect)} on the preview became ${JSON.stringify(p.originalRect)} on the original, within ${p.mappingErrorPx.toFixed(2)} px of the exact scaled rectangle (whole pixels${square}); the app's crop of the original and the same rectangle cut from the preview differ by ${p.contentDifference.toFixed(2)}/255 on average (${PIXEL_CHECK_SIDE}×${PIXEL_CHECK_SIDE})${same}.`,
  );
}

function javascriptSection(web: WebResults): string[] {
  const emptyRoute = web.manifest.empty.route.replace(/\/page$/, "");
  const browser = web.browser;
  const emptyPage = browser?.pages.find((page) => page.page === EMPTY_PAGE);
  return section(
    "JavaScript of the wizard pages beyond an empty page",
    `The empty page is the app's own 404 page (the root layout and Next's built-in not-found, at a URL no route matches, \`${emptyRoute}\` in the build): every page loads at least that, and no route was added for it. gzip at zlib's default level.`,
    [
      "| route (build manifests) | scripts | raw | gzip | gzip beyond the empty page |",
      "|---|---:|---:|---:|---:|",
      ...[web.manifest.empty, ...web.manifest.wizard].map(
        (route) => `| ${route.route} | ${route.files.length} | ${formatBytes(route.rawBytes)} | ${formatBytes(route.gzipBytes)} | ${formatBytes(route.gzipBytes - web.manifest.empty.gzipBytes)} |`,
      ),
    ],
    browser &&
      (browser.error
        ? `Chromium measurement not available: ${browser.error}`
        : [
            `Cross-check in ${browser.chromium} (fresh context per page, scripts counted as fetched; "transfer" is what \`next start\` sent, compressed):`,
            "",
            "| page | scripts | transfer | gzip | gzip beyond the empty page |",
            "|---|---:|---:|---:|---:|",
            ...browser.pages.map(
              (page) =>
                `| ${page.page} (${page.url.replace(/[0-9a-f]{32}/, ":uploadId")}) | ${page.scripts} | ${formatBytes(page.transferBytes)} | ${formatBytes(page.gzipBytes)} | ${emptyPage ? formatBytes(page.gzipBytes - emptyPage.gzipBytes) : "–"} |`,
            ),
          ]),
  );
}

export function webSections(results: Results): string[] {
  const web = results.web;
  return web ? [...step1Section(web), ...step2Section(web), ...javascriptSection(web)] : [];
}
