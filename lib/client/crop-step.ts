/**
 * What the crop step decides (pure, so the browser and the unit tests share it): which answer of
 * the check its crops are in, the square the user sees, what it keeps of the cropper's reports,
 * the next quarter turn, and the request a square on the shown picture becomes.
 */

import type { ReadyUpload } from "@/lib/avatars/api-types";
import { cropProblem, isQuarterTurn, scaleCropToOriginal, type CropRequest, type QuarterTurn, type Rect, type Size } from "@/lib/images/crop-geometry";
import { squareInView, type CropperView } from "@/lib/images/cropper-view";
import { CROP_MAX_ZOOM } from "@/lib/images/formats";

export type CheckedUpload = Pick<ReadyUpload, "uploadId" | "displayed" | "suggestedCrop">;

/** Where the early crop step's upload stands (components/upload-progress.tsx draws it). */
export type BackgroundStage = { stage: "ready"; upload: ReadyUpload } | { stage: "preparing" | "uploading" | "checking" };

/**
 * The check's answer the crops are made in, or undefined while there is none. Without a background
 * upload the page got the checked upload from S3 (undefined only while its id is not known); with
 * one (the early crop step) the answer arrives while the step is shown, and from then on crops use
 * the space it reports, and its suggested crop.
 */
export function checkedUpload(page: { uploadId: string | undefined } & Omit<CheckedUpload, "uploadId">, background: BackgroundStage | undefined): CheckedUpload | undefined {
  if (background) return background.stage === "ready" ? background.upload : undefined;
  return page.uploadId === undefined ? undefined : { uploadId: page.uploadId, displayed: page.displayed, suggestedCrop: page.suggestedCrop };
}

/** The square the user sees, in the loaded picture's pixels; undefined until the picture and the frame have sizes. */
export function shownSquare(view: CropperView, picture: Size | undefined, frame: Size | undefined): Rect | undefined {
  return picture && frame ? squareInView(view, picture, frame) : undefined;
}

/**
 * The position the cropper reports, as kept: not one that is not a number, and the current object
 * when it has not moved (the square and the live preview are drawn from it by identity).
 */
export function nextPosition(current: CropperView["crop"], reported: CropperView["crop"]): CropperView["crop"] {
  if (!Number.isFinite(reported.x) || !Number.isFinite(reported.y)) return current;
  return reported.x === current.x && reported.y === current.y ? current : reported;
}

/** The zoom the cropper reports, inside the slider's range; undefined when it is not a number. */
export function nextZoom(reported: number): number | undefined {
  return Number.isFinite(reported) ? Math.min(CROP_MAX_ZOOM, Math.max(1, reported)) : undefined;
}

/** A quarter turn left (-90) or right (90). */
export function turnBy(rotation: QuarterTurn, by: -90 | 90): QuarterTurn {
  const next = (((rotation + by) % 360) + 360) % 360;
  return isQuarterTurn(next) ? next : rotation;
}

const turned = (size: Size, rotation: QuarterTurn): Size => (rotation === 90 || rotation === 270 ? { width: size.height, height: size.width } : size);

/**
 * The request for `square` (in the shown picture's pixels after the turn), in the server's
 * displayed space: the server's word for the picture's size, not the browser's guess of it.
 * Undefined if it is not a crop the server takes, which the square's clamping rules out.
 */
export function cropRequest(square: Rect, picture: Size, rotation: QuarterTurn, displayed: Size): CropRequest | undefined {
  const original = turned(displayed, rotation);
  const request = { ...scaleCropToOriginal(square, turned(picture, rotation), original), rotation };
  return cropProblem(request, original) ? undefined : request;
}
