/**
 * Step 1 as a plain async function (no React): check the chosen file, prepare it (the shrink),
 * presign, then either hand the upload to the early crop step or upload and check it here. The
 * early crop step takes over as soon as the browser has decoded the picture: the copy's
 * resampling and encoding, the presign, the upload and the check all happen behind it. What it
 * does is told through `events`, so the hook over it (components/use-upload.ts) only keeps state,
 * and the order of events is unit-tested.
 */

import type { ReadyUpload, StartedUpload } from "@/lib/avatars/api-types";
import { describeOverLimit, formatBytes } from "@/lib/bytes";
import { ACCEPTED_MIME_TYPES, isAcceptedMimeType } from "@/lib/images/formats";

import { ApiError, isAbortError } from "./api";
import type { PreparedUpload, Shown } from "./shrink-image";
import { pickerMaxBytes } from "./shrink-plan";
import { UploadError, type UploadProgress } from "./upload-to-s3";
import type { WizardApi } from "./wizard-api";

export type UploadSettings = { maxBytes: number; clientResize: boolean; earlyCrop: boolean };

export type UploadEvents = {
  preparing(file: File): void;
  uploading(file: File, progress: UploadProgress): void;
  checking(file: File): void;
  /** Checked without the early crop step: the crop page comes next. */
  ready(uploadId: string): void;
  /** The early crop step takes over, showing `shown`: `background` prepares, sends and checks the file behind it. */
  cropWhileUploading(shown: Shown, background: Promise<ReadyUpload | null>): void;
  /** In the background: the upload exists (its id names it from now on). */
  backgroundStarted(started: StartedUpload, file: File): void;
  /** In the background: its progress and the check. */
  backgroundProgress(file: File, progress: UploadProgress): void;
  backgroundChecking(): void;
  /** The file is refused, or the upload failed: a sentence for the person (back at step 1). */
  refused(message: string): void;
};

export type UploadDeps = {
  api: Pick<WizardApi, "startUpload" | "finishUpload">;
  /**
   * The shrink (or just a decode), when the settings prepare pictures; absent: the file goes as it
   * is. `onShown`: a picture to show before the copy is ready (only when a copy is being made).
   */
  prepare?: (file: File, onShown: (shown: Shown) => void) => Promise<PreparedUpload>;
  send: (upload: StartedUpload["upload"], file: File, options: { onProgress: (progress: UploadProgress) => void; signal: AbortSignal; limitText: string }) => Promise<void>;
  /** For the benchmark: how long the shrink took (only when a copy was made). */
  measured?: (startedAt: number) => void;
};

/** A failure as the step shows it; an unexpected one keeps its details for the developer console. */
export function describeFailure(caught: unknown): string {
  if (isAbortError(caught)) return "Upload cancelled.";
  if (caught instanceof ApiError || caught instanceof UploadError) return caught.message;
  console.error("upload failed", caught);
  return "The upload failed. Please try again.";
}

/** Why a chosen file is refused before anything is sent, or undefined. */
export function refusalOf(file: File, settings: UploadSettings): string | undefined {
  if (!isAcceptedMimeType(file.type)) return `"${file.name}" is not a supported picture. Please choose a JPEG, PNG, WebP, GIF or AVIF file.`;
  if (file.size === 0) return `"${file.name}" is empty.`;
  const limit = pickerMaxBytes(settings.maxBytes, settings.clientResize);
  if (file.size > limit) return `"${file.name}" ${describeOverLimit(file.size, limit)}`;
  return undefined;
}

export const ACCEPT = ACCEPTED_MIME_TYPES.join(",");

/**
 * Runs step 1 for `original`. Resolves when this step is done with it (handed to the early crop
 * step, checked, refused or cancelled); never rejects. An abort of `signal` ends it silently.
 */
export async function uploadPicture(original: File, settings: UploadSettings, deps: UploadDeps, events: UploadEvents, signal: AbortSignal): Promise<void> {
  const refusal = refusalOf(original, settings);
  if (refusal) return events.refused(refusal);
  if (!deps.prepare) return uploadHere({ kind: "opaque", file: original, reason: "not prepared" }, original, settings, deps, events, signal);
  events.preparing(original);
  const startedAt = performance.now();
  // The early crop step, from the first picture the browser can show; the rest goes on behind it.
  let settle: ((ready: ReadyUpload | null) => void) | undefined;
  const showCropStep = (shown: Shown) => {
    if (settle || !settings.earlyCrop || signal.aborted) return;
    events.cropWhileUploading(shown, new Promise((resolve) => (settle = resolve)));
  };
  const prepared = await deps.prepare(original, showCropStep);
  if (signal.aborted) return settle?.(null);
  if (prepared.kind === "copy") deps.measured?.(startedAt);
  // Not shown yet and over the limit: refused at once (below), rather than after a glimpse of the crop step.
  if (prepared.kind !== "opaque" && prepared.file.size <= settings.maxBytes) showCropStep({ blob: prepared.file, size: prepared.size });
  if (!settle) return uploadHere(prepared, original, settings, deps, events, signal);
  void behindCropStep(prepared, original, settings, deps, events, signal).then(settle);
}

/** The refusal when what would be uploaded is over the limit (a copy could not be made, or is still too large). */
const overLimit = (original: File, file: File, maxBytes: number) => (file.size > maxBytes ? `"${original.name}" ${describeOverLimit(original.size, maxBytes)}` : undefined);

/** Without the early crop step: upload and check here, then the crop page. */
async function uploadHere(prepared: PreparedUpload, original: File, settings: UploadSettings, deps: UploadDeps, events: UploadEvents, signal: AbortSignal): Promise<void> {
  const file = prepared.file;
  const refusal = overLimit(original, file, settings.maxBytes);
  if (refusal) return events.refused(refusal);
  events.uploading(file, { sent: 0, total: file.size });
  try {
    const started = await deps.api.startUpload({ contentType: file.type, size: file.size, name: file.name }, { signal });
    await deps.send(started.upload, file, { signal, limitText: formatBytes(started.maxBytes), onProgress: (progress) => events.uploading(file, progress) });
    events.checking(file);
    await deps.api.finishUpload(started.uploadId, { signal });
    events.ready(started.uploadId);
  } catch (caught) {
    events.refused(describeFailure(caught));
  }
}

/** Behind the early crop step: presign, the file to S3, then the check; null when it failed (already said). */
async function behindCropStep(prepared: PreparedUpload, original: File, settings: UploadSettings, deps: UploadDeps, events: UploadEvents, signal: AbortSignal): Promise<ReadyUpload | null> {
  const file = prepared.file;
  const refusal = overLimit(original, file, settings.maxBytes);
  if (refusal) {
    events.refused(refusal);
    return null;
  }
  try {
    const started = await deps.api.startUpload({ contentType: file.type, size: file.size, name: file.name }, { signal });
    events.backgroundStarted(started, file);
    await deps.send(started.upload, file, { signal, limitText: formatBytes(started.maxBytes), onProgress: (progress) => events.backgroundProgress(file, progress) });
    events.backgroundChecking();
    const ready = await deps.api.finishUpload(started.uploadId, { signal, previewInBrowser: true });
    // Crops map onto the server's `displayed` whatever the browser thought; a difference means
    // the two decoders disagree about the file (worth knowing, not fatal).
    if (prepared.kind !== "opaque" && (ready.displayed.width !== prepared.size.width || ready.displayed.height !== prepared.size.height)) {
      console.warn("avatar upload: the server sees another size", ready.displayed, prepared.size);
    }
    return ready;
  } catch (caught) {
    if (!signal.aborted) events.refused(describeFailure(caught)); // the user left the step: nothing to say
    return null;
  }
}
