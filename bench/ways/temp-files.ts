/**
 * The temporary-file ways: download the object to a file, process files, upload the results from
 * disk. The article's does it with sharp, the other with ImageMagick's convert.
 */
import { execFile } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";

import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import sharp from "sharp";

import type { CropRequest, Rect } from "@/lib/images/crop-geometry";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { RENDITION_SIZES } from "@/lib/storage/keys";
import { getS3 } from "@/lib/storage/s3-client";

import type { Context, PreparedInput } from "../context";

const run = promisify(execFile);

/** The tutorials' WebP qualities: the 512 px crop, then the renditions made from it. */
const QUALITY = { crop: 90, renditions: 85 };

/** The files each way writes and uploads: the crop, then one per rendition. */
export const OUTPUT_FILES = ["crop.webp", ...RENDITION_SIZES.map((size) => `${size}.webp`)];

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

/** The article's way: temp file in, sharp on files, every result to disk, uploads from disk. */
export async function articleWay(context: Context, input: PreparedInput, crop: CropRequest): Promise<void> {
  const { dir, prefix } = workFolder(context, "article");
  try {
    const original = path.join(dir, `original.${input.spec.format}`);
    await downloadToFile(input.sourceKey, original);
    const cropped = path.join(dir, "crop.webp");
    await sharp(original).extract(crop).resize(CROP_OUTPUT_SIDE, CROP_OUTPUT_SIDE, { fit: "fill" }).webp({ quality: QUALITY.crop }).toFile(cropped);
    const renditions = await Promise.all(
      RENDITION_SIZES.map(async (size) => {
        const file = path.join(dir, `${size}.webp`);
        await sharp(cropped).resize(size, size, { fit: "cover" }).webp({ quality: QUALITY.renditions }).toFile(file);
        return { file, key: `${prefix}/${size}.webp` };
      }),
    );
    await uploadFiles([{ file: cropped, key: `${prefix}/crop.webp` }, ...renditions]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const CONVERT = "/usr/bin/convert";

/**
 * The convert command line: crop, the CROP_OUTPUT_SIDE square, then each rendition from the
 * previous one (largest first), metadata stripped.
 */
export function convertArguments(original: string, crop: Rect, out: (name: string) => string): string[] {
  const renditions = RENDITION_SIZES.flatMap((size, i) => {
    const resize = size === (RENDITION_SIZES[i - 1] ?? CROP_OUTPUT_SIDE) ? [] : ["-resize", `${size}x${size}!`];
    const last = i === RENDITION_SIZES.length - 1;
    return [...resize, ...(last ? [] : ["-write"]), out(`${size}.webp`)];
  });
  return [
    original,
    "-crop",
    `${crop.width}x${crop.height}+${crop.left}+${crop.top}`,
    "+repage",
    "-resize",
    `${CROP_OUTPUT_SIDE}x${CROP_OUTPUT_SIDE}!`,
    "-strip",
    "-quality",
    String(QUALITY.crop),
    "-write",
    out("crop.webp"),
    "-quality",
    String(QUALITY.renditions),
    ...renditions,
  ];
}

/** convert's options for one thread: by default its OpenMP threads use every core for one picture. */
export const ONE_THREAD = ["-limit", "thread", "1"];

/**
 * ImageMagick: the article's files and S3 round trips, convert instead of sharp; `threads: 1`
 * holds it to one thread (ONE_THREAD).
 */
export async function imagemagickWay(context: Context, input: PreparedInput, crop: CropRequest, options: { threads?: 1 } = {}): Promise<void> {
  const { dir, prefix } = workFolder(context, options.threads ? "imagemagick1" : "imagemagick");
  try {
    const original = path.join(dir, `original.${input.spec.format}`);
    await downloadToFile(input.sourceKey, original);
    const limits = options.threads ? ONE_THREAD : [];
    await run(CONVERT, [...limits, ...convertArguments(original, crop, (name) => path.join(dir, name))], { maxBuffer: 1024 * 1024 });
    await uploadFiles(OUTPUT_FILES.map((name) => ({ file: path.join(dir, name), key: `${prefix}/${name}` })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
