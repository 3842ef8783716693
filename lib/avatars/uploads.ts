import "server-only";

import { getEnv } from "@/lib/env";
import { AppError, type ErrorCode } from "@/lib/errors";
import { cropProblem, displayTransform, transformedSize, type Size } from "@/lib/images/crop-geometry";
import { withImageSlot } from "@/lib/images/image-jobs";
import { CROP_OUTPUT_SIDE, describeOverLimit } from "@/lib/images/formats";
import { cropToRenditions, inspectImage, makePreview } from "@/lib/images/pipeline";
import {
  cropKey,
  newAvatarId,
  newUploadId,
  originalKey,
  previewKey,
  RENDITION_SIZES,
  type RenditionSize,
  uploadPrefix,
  uploadStartedKey,
  uploadsStartedPrefix,
} from "@/lib/storage/keys";
import {
  deleteObjects,
  deletePrefix,
  getObjectBytes,
  headObject,
  listKeys,
  presignPost,
  putObject,
} from "@/lib/storage/objects";

import type { CropResult, ReadyUpload, StartedUpload, UploadState } from "./api-types";
import { cropUrl, previewUrl } from "./image-urls";
import type { CropInput, StartUploadInput } from "./schemas";

/** Step 1 and 2 of the wizard. S3 holds every byte and every fact; any instance can run any step. */

export async function startUpload(userId: string, input: StartUploadInput): Promise<StartedUpload> {
  const maxBytes = getEnv().UPLOAD_MAX_BYTES;
  if (input.size > maxBytes) {
    throw new AppError("file_too_large", `The file ${describeOverLimit(input.size, maxBytes)}`);
  }
  const uploadId = newUploadId();
  await admitUploadStart(userId, uploadId);
  const post = await presignPost(originalKey(userId, uploadId), {
    contentType: input.contentType,
    // The browser knows the file's exact size; S3 then refuses anything larger than announced.
    maxBytes: input.size,
    expiresIn: getEnv().UPLOAD_URL_TTL_SECONDS,
  });
  return { uploadId, post, maxBytes };
}

const REJECTED_FILE = new Set<ErrorCode>(["file_too_large", "not_an_image", "image_too_large", "corrupt_image"]);

const HOUR_MS = 3_600_000;
const hourWindow = (now = Date.now()) => Math.floor(now / HOUR_MS);

/**
 * Bounds uploads per user per hour across every instance, with S3 as the only shared state: each
 * start first writes an empty marker under the user's prefix for the current hour, then counts
 * the hour's markers, and is admitted only if there are at most `limit`. Counting after writing
 * is what holds under a burst: of the starts admitted, the last to write saw all the others'
 * markers when it counted, so no more than `limit` are ever admitted (counting first let 33 of 80
 * parallel starts through a limit of 30). A refused start removes its marker again; a burst may
 * therefore admit fewer than `limit`, never more. The uploads/ lifecycle rule expires markers.
 */
async function admitUploadStart(userId: string, uploadId: string): Promise<void> {
  const limit = getEnv().UPLOADS_PER_HOUR;
  const now = Date.now();
  const window = hourWindow(now);
  const marker = uploadStartedKey(userId, window, uploadId);
  await putObject(marker, "", { contentType: "text/plain" });
  const started = await listKeys(uploadsStartedPrefix(userId, window), { maxKeys: limit + 1 });
  if (started.keys.length > limit) {
    await deleteObjects([marker]).catch(() => undefined); // if this fails, the marker only counts against the user
    const retryAfterSeconds = Math.ceil(((window + 1) * HOUR_MS - now) / 1000);
    throw new AppError("rate_limited", `You can start ${limit} uploads per hour. Please try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`, {
      retryAfterSeconds,
    });
  }
}

const META = { width: "displayed-width", height: "displayed-height", format: "format", bytes: "original-bytes", pw: "preview-width", ph: "preview-height" };

const displayedSize = (m: Record<string, string>): Size => ({ width: Number(m[META.width]), height: Number(m[META.height]) });

/** The state of a checked upload, read from the metadata its preview was written with. */
async function stateFromPreviewMetadata(userId: string, uploadId: string, m: Record<string, string>): Promise<ReadyUpload> {
  return {
    uploadId,
    status: "ready",
    displayed: displayedSize(m),
    format: m[META.format] ?? "unknown",
    bytes: Number(m[META.bytes]),
    preview: {
      url: await previewUrl(userId, uploadId),
      width: Number(m[META.pw]),
      height: Number(m[META.ph]),
    },
  };
}

async function readyState(userId: string, uploadId: string): Promise<ReadyUpload | null> {
  const preview = await headObject(previewKey(userId, uploadId));
  return preview ? stateFromPreviewMetadata(userId, uploadId, preview.metadata) : null;
}

export async function getUploadState(userId: string, uploadId: string): Promise<UploadState> {
  const ready = await readyState(userId, uploadId);
  if (ready) return ready;
  if (await headObject(originalKey(userId, uploadId))) return { uploadId, status: "uploaded" };
  throw new AppError("upload_not_found");
}

/**
 * Called by the browser once S3 accepted its POST. Re-checks everything an S3 that ignores POST
 * policies would let through (size, real type, pixel count, completeness); a file that fails is
 * deleted, so nothing half-usable is left behind. Idempotent: a retry returns the same state.
 */
export async function finishUpload(userId: string, uploadId: string): Promise<ReadyUpload> {
  const existing = await readyState(userId, uploadId);
  if (existing) return existing;

  const env = getEnv();
  const key = originalKey(userId, uploadId);
  const head = await headObject(key);
  if (!head) throw new AppError("upload_not_found", "We did not receive that upload. Please upload the picture again.");
  try {
    if (head.size > env.UPLOAD_MAX_BYTES) {
      throw new AppError("file_too_large", `The file ${describeOverLimit(head.size, env.UPLOAD_MAX_BYTES)}`);
    }
    if (head.size === 0) throw new AppError("not_an_image", "The file is empty.");
    // The original is downloaded inside the job slot: only running jobs hold one (up to
    // UPLOAD_MAX_BYTES each), so IMAGE_JOBS_MAX bounds this instance's memory however many wait.
    const { size, image, preview } = await withImageSlot(async () => {
      const bytes = await getObjectBytes(key, env.UPLOAD_MAX_BYTES);
      if (!bytes) throw new AppError("upload_not_found");
      return { size: bytes.length, image: await inspectImage(bytes, env.IMAGE_MAX_PIXELS), preview: await makePreview(bytes, env.IMAGE_MAX_PIXELS) };
    });
    const metadata = {
      [META.width]: String(image.displayed.width),
      [META.height]: String(image.displayed.height),
      [META.format]: image.format,
      [META.bytes]: String(size),
      [META.pw]: String(preview.size.width),
      [META.ph]: String(preview.size.height),
    };
    await putObject(previewKey(userId, uploadId), preview.data, { contentType: "image/webp", cacheControl: "private, max-age=3600", metadata });
    // What was just written is the state: no need to read it back from S3.
    return await stateFromPreviewMetadata(userId, uploadId, metadata);
  } catch (error) {
    // Only a file that is itself bad is deleted; "busy" or "storage down" leaves it for a retry.
    if (error instanceof AppError && REJECTED_FILE.has(error.code)) await deletePrefix(uploadPrefix(userId, uploadId));
    throw error;
  }
}

/**
 * Step 2: crop the original (not the preview) so the avatar has every pixel the user chose. The
 * crop is stored as the avatar's renditions, so saving it is copies inside S3 and no image work.
 */
export async function cropUpload(userId: string, uploadId: string, crop: CropInput): Promise<CropResult> {
  const env = getEnv();
  // Only the preview's metadata is needed (the displayed size), not a URL to show it.
  const preview = headObject(previewKey(userId, uploadId));
  preview.catch(() => undefined); // awaited in the slot; never an unhandled rejection when the slot is refused
  const cropId = newAvatarId();
  // Each rendition is uploaded as soon as it is encoded: the small ones while the largest encodes.
  const uploads: Promise<void>[] = [];
  const store = (size: RenditionSize, data: Buffer) => {
    const upload = putObject(cropKey(userId, uploadId, cropId, size), data, { contentType: "image/webp", cacheControl: "private, max-age=3600" });
    upload.catch(() => undefined); // awaited below, or abandoned with the crop when the job fails
    uploads.push(upload);
  };
  // Downloaded inside the job slot, like in finishUpload: memory is bounded by IMAGE_JOBS_MAX. The
  // download starts while the preview's HEAD is under way (one round trip less) and is aborted
  // when the upload or the crop turns out not to be usable, so it never outlives the slot.
  await withImageSlot(async () => {
    const download = new AbortController();
    const original = getObjectBytes(originalKey(userId, uploadId), env.UPLOAD_MAX_BYTES, download.signal);
    original.catch(() => undefined); // awaited below unless the checks throw first
    try {
      const metadata = (await preview)?.metadata;
      if (!metadata) {
        const uploaded = await headObject(originalKey(userId, uploadId));
        throw uploaded ? new AppError("upload_incomplete", "The upload has not been checked yet; please wait for it to finish.") : new AppError("upload_not_found");
      }
      const problem = cropProblem(crop, transformedSize(displayedSize(metadata), displayTransform(1, crop.rotation)));
      if (problem) throw new AppError("invalid_crop", problem);
    } catch (error) {
      download.abort();
      throw error;
    }
    const bytes = await original;
    if (!bytes) throw new AppError("upload_not_found");
    await cropToRenditions(bytes, await inspectImage(bytes, env.IMAGE_MAX_PIXELS), crop, env.IMAGE_MAX_PIXELS, RENDITION_SIZES, store);
  });
  const [url] = await Promise.all([cropUrl(userId, uploadId, cropId), ...uploads]);
  return { uploadId, cropId, url };
}

export async function getCrop(userId: string, uploadId: string, cropId: string): Promise<CropResult> {
  if (!(await headObject(cropKey(userId, uploadId, cropId, CROP_OUTPUT_SIDE)))) throw new AppError("crop_not_found");
  return { uploadId, cropId, url: await cropUrl(userId, uploadId, cropId) };
}
