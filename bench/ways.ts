/**
 * The ways of doing the server side of step 2 + step 3 (crop the original, encode it, make the
 * renditions, with the S3 round trips where the way has them), each as one async operation.
 *
 *  - app: the app's own code path, the use cases the route handlers call (cropUpload, saveAvatar)
 *    against S3 over HTTP, job limiter included.
 *  - floor: the same sharp transforms (inspectImage, cropToRenditions) on bytes already in memory:
 *    no S3, no limiter. What the app could not go below.
 *  - naiveApp: the app's code path with the crop step's sharp pipeline replaced by the naive one
 *    below (same S3 round trips, same limiter, same saveAvatar).
 *  - naive: a sharp pipeline that decodes the picture at full resolution, then crops and shrinks
 *    (sharp(bytes).autoOrient().extract().resize()), in memory like the floor. It lives only here.
 *  - article: the way tutorials do it: download the object to a temporary file, process the file
 *    with sharp (extract, resize, toFile), write every result to disk, upload them from disk.
 *  - imagemagick: the same download and upload, with ImageMagick's convert doing the crop and the
 *    resizes (what a PHP host does with Imagick).
 */
import { execFile } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";

import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import sharp from "sharp";

import { cropUpload } from "@/lib/avatars/crop";
import { saveAvatar, type RunAfterResponse } from "@/lib/avatars/save";
import { getEnv } from "@/lib/env";
import type { CropRequest, Rect } from "@/lib/images/crop-geometry";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { withImageSlot } from "@/lib/images/image-jobs";
import { cropToRenditions, encodeRenditions, inspectImage, type CroppedSquare } from "@/lib/images/pipeline";
import { cropKey, newAvatarId, newUploadId, originalKey, previewKey, RENDITION_SIZES, type RenditionSize } from "@/lib/storage/keys";
import { getObjectBytes, headObject, presignGet, putObject } from "@/lib/storage/objects";
import { getS3 } from "@/lib/storage/s3-client";

import type { InputSpec } from "./inputs";

const run = promisify(execFile);

export const WAYS = ["app", "naiveApp", "floor", "naive", "article", "imagemagick"] as const;
export type Way = (typeof WAYS)[number];

export const WAY_LABELS: Record<Way, string> = {
  app: "app (use cases + S3)",
  naiveApp: "app, naive crop (+ S3)",
  floor: "floor (app's sharp, in memory)",
  naive: "naive sharp (in memory)",
  article: "article (temp files + S3)",
  imagemagick: "ImageMagick (temp files + S3)",
};

export type BoxKind = "small" | "large";
export const BOXES: readonly BoxKind[] = ["small", "large"];

/** Pixel limit the app enforces by default (IMAGE_MAX_PIXELS); 48 MP fits. */
export const MAX_PIXELS = 64_000_000;

/**
 * A small box (15% of the short side: a face in a group photo) off centre, and a large one (90% of
 * the short side: most of the picture), both square, on an upright picture (orientation 1, no turn).
 */
export function cropBox(spec: InputSpec, kind: BoxKind): CropRequest {
  const short = Math.min(spec.width, spec.height);
  if (kind === "large") {
    const side = Math.round(short * 0.9);
    return { left: Math.round((spec.width - side) / 2), top: Math.round((spec.height - side) / 2), width: side, height: side, rotation: 0 };
  }
  const side = Math.round(short * 0.15);
  return { left: Math.round(spec.width * 0.6), top: Math.round(spec.height * 0.45), width: side, height: side, rotation: 0 };
}

/** The app's preview of an input and the metadata finishUpload stored with it, so a ready upload can be re-created cheaply. */
export type PreparedInput = {
  spec: InputSpec;
  bytes: Buffer;
  preview: Buffer;
  previewMetadata: Record<string, string>;
  /** Key of a copy of the original the article and ImageMagick ways download. */
  sourceKey: string;
};

export type Context = { userId: string; scratch: string };

export function newContext(userId: string): Context {
  return { userId, scratch: mkdtempSync(path.join(tmpdir(), "avatar-relay-bench-files-")) };
}

export function disposeContext(context: Context): void {
  rmSync(context.scratch, { recursive: true, force: true });
}

/** A ready upload (original + preview with its metadata), as finishUpload leaves it; not timed. */
export async function makeReadyUpload(context: Context, input: PreparedInput): Promise<string> {
  const uploadId = newUploadId();
  await Promise.all([
    putObject(originalKey(context.userId, uploadId), input.bytes, { contentType: input.spec.contentType }),
    putObject(previewKey(context.userId, uploadId), input.preview, { contentType: "image/webp", metadata: input.previewMetadata }),
  ]);
  return uploadId;
}

/**
 * What the save route hands to Next's `after()` (the upload's cleanup), run the same way: once the
 * answer is out. `done` settles when it has run, so a caller can keep it out of the timed span
 * (the user does not wait for it) and still wait for it before measuring anything else.
 */
export type AppResult = { afterResponse: Promise<void> };

function afterResponseQueue(): { run: RunAfterResponse; done: () => Promise<void> } {
  const tasks: Promise<void>[] = [];
  return {
    run: (task) => void tasks.push(new Promise((resolve) => setImmediate(resolve)).then(task)),
    done: async () => void (await Promise.all(tasks)),
  };
}

/** 1. The app: what POST /api/uploads/:id/crop and POST /api/uploads/:id/save run. */
export async function appWay(context: Context, uploadId: string, crop: CropRequest): Promise<AppResult> {
  const { cropId } = await cropUpload(context.userId, uploadId, crop);
  const after = afterResponseQueue();
  await saveAvatar(context.userId, uploadId, cropId, { runAfterResponse: after.run });
  return { afterResponse: after.done() };
}

/** 2. The floor: the app's transforms with the bytes already in memory. */
export async function floorWay(bytes: Buffer, crop: CropRequest): Promise<Buffer> {
  const info = await inspectImage(bytes, MAX_PIXELS);
  const renditions = await cropToRenditions(bytes, info, crop, MAX_PIXELS, RENDITION_SIZES);
  return renditions.get(CROP_OUTPUT_SIDE)!;
}

/**
 * The naive pipeline: decode at full resolution (no shrink-on-load), crop, shrink, then the app's
 * own encoders (encodeRenditions), so only the decoding strategy differs. Upright inputs, no turn.
 */
export async function naiveSquare(bytes: Buffer, rect: Rect): Promise<CroppedSquare> {
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: "error", sequentialRead: true })
    .autoOrient()
    .extract(rect)
    .resize(CROP_OUTPUT_SIDE, CROP_OUTPUT_SIDE, { fit: "fill" })
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, raw: { width: info.width, height: info.height, channels: info.channels }, transform: { flop: false, rotate: 0 } };
}

/**
 * cropUpload's steps (lib/avatars/uploads.ts: HEAD preview while the original downloads, each
 * rendition PUT as soon as it is encoded) with naiveSquare in place of cropSquare, then the real
 * saveAvatar. Upright inputs and valid crops only, so none of cropUpload's checks are repeated.
 */
export async function naiveAppWay(context: Context, uploadId: string, crop: CropRequest): Promise<AppResult> {
  const env = getEnv();
  const cropId = newAvatarId();
  const uploads: Promise<void>[] = [];
  const store = (size: RenditionSize, data: Buffer) =>
    void uploads.push(putObject(cropKey(context.userId, uploadId, cropId, size), data, { contentType: "image/webp", cacheControl: "private, max-age=3600" }));
  const preview = headObject(previewKey(context.userId, uploadId));
  await withImageSlot(async () => {
    const [ready, bytes] = await Promise.all([preview, getObjectBytes(originalKey(context.userId, uploadId), env.UPLOAD_MAX_BYTES)]);
    if (!ready || !bytes) throw new Error("upload not ready");
    await inspectImage(bytes, env.IMAGE_MAX_PIXELS);
    await encodeRenditions(await naiveSquare(bytes, crop), RENDITION_SIZES, store);
  });
  await Promise.all([presignGet(cropKey(context.userId, uploadId, cropId, CROP_OUTPUT_SIDE), { expiresIn: 900, contentType: "image/webp" }), ...uploads]);
  const after = afterResponseQueue();
  await saveAvatar(context.userId, uploadId, cropId, { runAfterResponse: after.run });
  return { afterResponse: after.done() };
}

export async function naiveWay(bytes: Buffer, crop: CropRequest): Promise<Buffer> {
  const renditions = await encodeRenditions(await naiveSquare(bytes, crop), RENDITION_SIZES);
  return renditions.get(CROP_OUTPUT_SIDE)!;
}

let fileCounter = 0;

async function downloadToFile(key: string, file: string): Promise<void> {
  const { client, bucket } = getS3();
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  await pipeline(out.Body as Readable, createWriteStream(file));
}

async function uploadFiles(files: { file: string; key: string }[]): Promise<void> {
  const { client, bucket } = getS3();
  await Promise.all(
    files.map(({ file, key }) =>
      client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: createReadStream(file),
          ContentLength: statSync(file).size,
          ContentType: "image/webp",
        }),
      ),
    ),
  );
}

function workFolder(context: Context, way: string): { dir: string; prefix: string } {
  fileCounter += 1;
  const dir = mkdtempSync(path.join(context.scratch, `${way}-`));
  return { dir, prefix: `bench-out/${context.userId}/${way}/${process.pid}-${fileCounter}` };
}

/** 3. The article's way: temp file in, sharp on files, every result to disk, uploads from disk. */
export async function articleWay(context: Context, input: PreparedInput, crop: CropRequest): Promise<void> {
  const { dir, prefix } = workFolder(context, "article");
  try {
    const original = path.join(dir, `original.${input.spec.format}`);
    await downloadToFile(input.sourceKey, original);
    const cropped = path.join(dir, "crop.webp");
    await sharp(original).extract(crop).resize(CROP_OUTPUT_SIDE, CROP_OUTPUT_SIDE, { fit: "fill" }).webp({ quality: 90 }).toFile(cropped);
    const renditions = await Promise.all(
      RENDITION_SIZES.map(async (size) => {
        const file = path.join(dir, `${size}.webp`);
        await sharp(cropped).resize(size, size, { fit: "cover" }).webp({ quality: 85 }).toFile(file);
        return { file, key: `${prefix}/${size}.webp` };
      }),
    );
    await uploadFiles([{ file: cropped, key: `${prefix}/crop.webp` }, ...renditions]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const CONVERT = "/usr/bin/convert";

/** The convert command line: crop, 512 square, then each rendition from the previous one, metadata stripped. */
export function convertArguments(original: string, crop: Rect, out: (name: string) => string): string[] {
  return [
    original,
    "-crop",
    `${crop.width}x${crop.height}+${crop.left}+${crop.top}`,
    "+repage",
    "-resize",
    `${CROP_OUTPUT_SIDE}x${CROP_OUTPUT_SIDE}!`,
    "-strip",
    "-quality",
    "90",
    "-write",
    out("crop.webp"),
    "-quality",
    "85",
    "-write",
    out("512.webp"),
    "-resize",
    "256x256!",
    "-write",
    out("256.webp"),
    "-resize",
    "128x128!",
    "-write",
    out("128.webp"),
    "-resize",
    "64x64!",
    out("64.webp"),
  ];
}

/** 4. ImageMagick: the article's files and S3 round trips, convert instead of sharp. */
export async function imagemagickWay(context: Context, input: PreparedInput, crop: CropRequest): Promise<void> {
  const { dir, prefix } = workFolder(context, "imagemagick");
  try {
    const original = path.join(dir, `original.${input.spec.format}`);
    await downloadToFile(input.sourceKey, original);
    await run(CONVERT, convertArguments(original, crop, (name) => path.join(dir, name)), { maxBuffer: 1024 * 1024 });
    const names = ["crop.webp", ...RENDITION_SIZES.map((size) => `${size}.webp`)];
    await uploadFiles(names.map((name) => ({ file: path.join(dir, name), key: `${prefix}/${name}` })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
