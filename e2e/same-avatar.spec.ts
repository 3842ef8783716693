import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";

import type { CropResult, ReadyUpload, StartedUpload } from "@/lib/avatars/api-types";
import { exifTransform, type QuarterTurn, type Rect, type Size } from "@/lib/images/crop-geometry";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { meanDifference, photoLike } from "@/test/harness/images";
import { ROOT } from "@/tools/paths";
import { sendToS3 } from "@/test/harness/s3-post";

import { APP_ORIGIN, UPLOAD_MAX_BYTES } from "./single/config";
import { Wizard } from "./pages/wizard";

/**
 * The avatar made from the browser's shrunk copy is the avatar made from the original. Each picture
 * goes twice: through the page (the real worker makes the copy that S3 holds) and, unchanged,
 * through the API; the same crops (zoom 1 and 3, every quarter turn) of both are made by the server,
 * and their 512 px renditions compared per pixel (mean absolute difference over RGB, < 3/255). The
 * crops are whole pixels in both spaces (alignedCrop). Why these choices, and what the difference is
 * made of: docs/decisions/same-avatar-measure.md.
 */

const FIXTURES = path.resolve(ROOT, "../shared/fixtures/exif-orientation");
const haveFixtures = existsSync(path.join(FIXTURES, "Landscape_1.jpg"));
if (!haveFixtures) {
  console.warn(`[same-avatar.spec] DID NOT RUN the EXIF orientation 1-8 cases: ${FIXTURES} does not exist (team fixtures are only on team machines and CI).`);
}

const LIMIT = 3; // mean absolute difference per channel, out of 255, per pixel of the 512 px avatars
const ZOOMS = [1, 3] as const;
const ENLARGE = 3;
const ROTATIONS: QuarterTurn[] = [0, 90, 180, 270];

let seq = 0;
const unique = (label: string) => `${label}-${Date.now()}-${++seq}`;

/**
 * A fixture three times as large (5400×3600 as shown), its EXIF orientation kept: the fixtures are
 * 1800×1200, already small enough to go unchanged, and the point is what the shrink does.
 */
async function enlargedFixture(file: string): Promise<Buffer> {
  const input = readFileSync(path.join(FIXTURES, file));
  const meta = await sharp(input).metadata();
  // Without autoOrient sharp works on the stored pixels; the tag is written back as it was.
  return sharp(input)
    .resize(meta.width! * ENLARGE, meta.height! * ENLARGE, { fit: "fill" })
    .withMetadata({ orientation: meta.orientation ?? 1 })
    .jpeg({ quality: 88 })
    .toBuffer();
}

/** Photo-like noise stored the way a phone stores it with `orientation` (the tag undoes it). */
async function generated(width: number, height: number, orientation: number, seed: number): Promise<Buffer> {
  const { flop, rotate } = exifTransform(orientation);
  const unrotated = await sharp(await photoLike(width, height, seed)).rotate((360 - rotate) % 360).png().toBuffer();
  return sharp(unrotated).flop(flop).withMetadata({ orientation }).jpeg({ quality: 85 }).toBuffer();
}

const swap = (size: Size, turn: QuarterTurn): Size => (turn === 90 || turn === 270 ? { width: size.height, height: size.width } : size);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
/** copy / original along one axis, as a reduced fraction: `num` copy px for every `den` original px. */
function ratio(original: number, copy: number): { num: number; den: number } {
  const g = gcd(original, copy);
  return { num: copy / g, den: original / g };
}
const alignDown = (value: number, step: number) => Math.floor(value / step) * step;
const alignNearest = (value: number, step: number, max: number) => Math.min(alignDown(max, step), Math.round(value / step) * step);

/**
 * The crop (side about short/zoom, off centre at 35 % across and 60 % down) in the original's
 * displayed space `space`, with every edge on a whole pixel of the copy's space `copySpace` too:
 * left, top and side are multiples of the per-axis denominator of copy/original (2400 → 1536 is
 * 16/25, so multiples of 25), and the copy's rect is the same region, exactly. The side is one
 * number for both axes; when the browser's rounding of the long side made the two axes' scales
 * differ (2700 → 2074 is not 2000 → 1536) no square is exact in both, and the side follows the
 * axis with the smaller denominator (`miss`: by how many copy px the other axis's far edge
 * is off, a fraction of a pixel, printed; 0 when exact).
 */
function alignedCrop(space: Size, copySpace: Size, zoom: number): { original: Rect; copy: Rect; miss: number } {
  const x = ratio(space.width, copySpace.width);
  const y = ratio(space.height, copySpace.height);
  const short = Math.min(space.width, space.height);
  const both = (x.den * y.den) / gcd(x.den, y.den);
  const exact = x.num * y.den === y.num * x.den && both <= short / zoom;
  const by = exact ? x : x.den <= y.den ? x : y;
  // Rounded up, not down: a smaller side would zoom past CROP_MAX_ZOOM, which the crop step does
  // not allow and for which the copy by design does not hold the pixels (it would be enlarged).
  const step = exact ? both : by.den;
  const side = Math.min(alignDown(short, step), Math.ceil(short / zoom / step) * step);
  const left = alignNearest((space.width - side) * 0.35, x.den, space.width - side);
  const top = alignNearest((space.height - side) * 0.6, y.den, space.height - side);
  const original = { left, top, width: side, height: side };
  const copySide = (side * by.num) / by.den;
  const copy = { left: (left * x.num) / x.den, top: (top * y.num) / y.den, width: copySide, height: copySide };
  for (const value of Object.values(copy)) expect(Number.isInteger(value), `aligned crop ${JSON.stringify(original)} in ${JSON.stringify(copySpace)}`).toBe(true);
  const other = by === x ? y : x;
  return { original, copy, miss: copySide - (side * other.num) / other.den };
}


async function post<T>(page: Page, url: string, data?: unknown): Promise<T> {
  const response = await page.request.post(url, { data, headers: { origin: APP_ORIGIN } });
  expect(response.status(), `${url}: ${await response.text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/** The original, unchanged, through the API (as a browser with UPLOAD_CLIENT_RESIZE=false sends it). */
async function uploadOriginal(page: Page, bytes: Buffer): Promise<ReadyUpload> {
  const started = await post<StartedUpload>(page, "/api/uploads", { contentType: "image/jpeg", size: bytes.length, name: "original.jpg" });
  expect((await sendToS3(started.upload, bytes, "image/jpeg")).status).toBeLessThan(300);
  return post<ReadyUpload>(page, `/api/uploads/${started.uploadId}/finish`);
}

/** The picture through the page: the worker shrinks it, and S3 receives the copy. */
async function uploadThroughPage(page: Page, bytes: Buffer): Promise<ReadyUpload> {
  const wizard = new Wizard(page);
  await wizard.openUpload();
  const finished = page.waitForResponse((r) => r.request().method() === "POST" && /\/finish$/.test(r.url()));
  await wizard.chooseFile({ name: "photo.jpg", mimeType: "image/jpeg", buffer: bytes });
  const ready = (await (await finished).json()) as ReadyUpload;
  await wizard.waitForCropStep();
  return ready;
}

async function rendition(page: Page, uploadId: string, crop: object): Promise<Buffer> {
  const result = await post<CropResult>(page, `/api/uploads/${uploadId}/crop`, crop);
  const response = await page.request.get(result.url);
  expect(response.status()).toBe(200);
  return Buffer.from(await response.body());
}

type Case = { label: string; make: () => Promise<Buffer>; shown: Size; needsFixtures: boolean };

const cases: Case[] = [
  // Every EXIF orientation once, landscape and portrait in turn (the shape changes which axis the
  // copy's rounding lands on; the orientation, which pixels the worker turns).
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => {
    const [file, shown] = n % 2 === 1 ? [`Landscape_${n}.jpg`, { width: 1800 * ENLARGE, height: 1200 * ENLARGE }] : [`Portrait_${n}.jpg`, { width: 1200 * ENLARGE, height: 1800 * ENLARGE }];
    return { label: `${file} ×${ENLARGE} (EXIF ${n})`, make: () => enlargedFixture(file), shown, needsFixtures: true };
  }),
  // Pixel-level noise, the hardest case for a copy (every pixel differs from its neighbours), at the
  // largest size whose original fits the e2e limit.
  { label: "photo-like 3600×2400 (EXIF 1)", make: () => generated(3600, 2400, 1, 53), shown: { width: 3600, height: 2400 }, needsFixtures: false },
  { label: "photo-like 2400×3600 stored sideways (EXIF 6)", make: () => generated(2400, 3600, 6, 54), shown: { width: 2400, height: 3600 }, needsFixtures: false },
];

for (const item of cases) {
  test(`same avatar from the shrunk upload and the original: ${item.label}`, async ({ page }) => {
    test.skip(process.env.UPLOAD_CLIENT_RESIZE === "false", "needs UPLOAD_CLIENT_RESIZE on: it compares the browser's copy with the original");
    test.skip(item.needsFixtures && !haveFixtures, `DID NOT RUN: ${FIXTURES} does not exist`);
    test.setTimeout(120_000);
    const original = await item.make();
    expect(original.length, "the original must fit the e2e limit to go unchanged").toBeLessThanOrEqual(UPLOAD_MAX_BYTES);

    await new Wizard(page).signIn(unique("same"));
    const copy = await uploadThroughPage(page, original);
    const plain = await uploadOriginal(page, original);
    expect(plain.displayed).toEqual(item.shown);
    // The page sent a smaller upright copy: 1536 px on the short side, the same shape.
    expect(copy.bytes).toBeLessThan(original.length);
    expect(Math.min(copy.displayed.width, copy.displayed.height)).toBe(1536);
    expect(copy.displayed.width > copy.displayed.height).toBe(item.shown.width > item.shown.height);

    const perCase: string[] = [];
    for (const zoom of ZOOMS) {
      for (const rotation of ROTATIONS) {
        // A crop as the crop step makes it, in the original's displayed (and turned) space, placed
        // so that it is whole pixels in the copy's space too ...
        const space = swap(plain.displayed, rotation);
        const { original: area, copy: copyArea, miss } = alignedCrop(space, swap(copy.displayed, rotation), zoom);
        const fromOriginal = await rendition(page, plain.uploadId, { ...area, rotation });
        // ... and exactly the same region of the copy.
        const fromCopy = await rendition(page, copy.uploadId, { ...copyArea, rotation });
        const difference = await meanDifference(fromOriginal, fromCopy, CROP_OUTPUT_SIDE);
        const where = `${area.left},${area.top} ${area.width}² → ${copyArea.left},${copyArea.top} ${copyArea.width}²${miss === 0 ? "" : `, far edge off ${miss.toFixed(2)} copy px on one axis`}`;
        perCase.push(`zoom ${zoom} rot ${rotation}: ${difference.toFixed(2)}${difference >= LIMIT ? ` (OVER the issue's ${LIMIT})` : ""} [${where}]`);
        expect.soft(difference, `zoom ${zoom}, rotation ${rotation}, ${where}`).toBeLessThan(LIMIT);
      }
    }
    console.log(`${item.label}: original ${original.length} B, copy ${copy.bytes} B (${copy.displayed.width}×${copy.displayed.height}); mean difference per pixel at ${CROP_OUTPUT_SIDE} px, /255: ${perCase.join(", ")}`);
  });
}
