/**
 * Step 1 as a plain async function (no React): check the chosen file, prepare it (the shrink),
 * presign, then either hand the upload to the early crop step (the file goes to S3 and is checked
 * behind it) or upload and check it here. What it does is told through `events`, so the hook over
 * it (components/use-upload.ts) only keeps state, and the order of events is unit-tested.
 */

import type { ReadyUpload, StartedUpload } from "@/lib/avatars/api-types";
import { ACCEPTED_MIME_TYPES, describeOverLimit, formatBytes, isAcceptedMimeType } from "@/lib/images/formats";

import { ApiError, isAbortError } from "./api";
import type { PreparedUpload } from "./shrink-image";
import { pickerMaxBytes } from "./shrink-plan";
import { UploadError, type UploadProgress } from "./upload-to-s3";
import type { WizardApi } from "./wizard-api";

export type UploadSettings = { maxBytes: number; clientResize: boolean; earlyCrop: boolean };

/** A picture the browser decoded: the early crop step can show it while it uploads. */
export type Decoded = Exclude<PreparedUpload, { kind: "opaque" }>;

export type UploadEvents = {
  preparing(file: File): void;
  uploading(file: File, progress: UploadProgress): void;
  checking(file: File): void;
  /** Checked without the early crop step: the crop page comes next. */
  ready(uploadId: string): void;
  /** The early crop step takes over: `background` sends the file and checks it behind it. */
  cropWhileUploading(started: StartedUpload, prepared: Decoded, background: Promise<ReadyUpload | null>): void;
  /** In the background: its progress and the check. */
  backgroundProgress(file: File, progress: UploadProgress): void;
  backgroundChecking(): void;
  /** The file is refused, or the upload failed: a sentence for the person (back at step 1). */
  refused(message: string): void;
};

export type UploadDeps = {
  api: Pick<WizardApi, "startUpload" | "finishUpload">;
  /** The shrink (or just a decode), when the settings prepare pictures; absent: the file goes as it is. */
  prepare?: (file: File) => Promise<PreparedUpload>;
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
  let prepared: PreparedUpload = { kind: "opaque", file: original, reason: "not prepared" };
  if (deps.prepare) {
    events.preparing(original);
    const startedAt = performance.now();
    prepared = await deps.prepare(original);
    if (signal.aborted) return;
    if (prepared.kind === "copy") deps.measured?.(startedAt);
  }
  const file = prepared.file;
  // The copy could not be made or is still too large: the limit applies to what is uploaded.
  if (file.size > settings.maxBytes) return events.refused(`"${original.name}" ${describeOverLimit(original.size, settings.maxBytes)}`);
  events.uploading(file, { sent: 0, total: file.size });
  try {
    const started = await deps.api.startUpload({ contentType: file.type, size: file.size, name: file.name }, { signal });
    if (settings.earlyCrop && prepared.kind !== "opaque") {
      // The crop step is told first, so every event of the background reaches a step that exists.
      let settle!: (ready: ReadyUpload | null) => void;
      events.cropWhileUploading(started, prepared, new Promise((resolve) => (settle = resolve)));
      void inBackground(started, prepared, deps, events, signal).then(settle);
      return;
    }
    await deps.send(started.upload, file, { signal, limitText: formatBytes(started.maxBytes), onProgress: (progress) => events.uploading(file, progress) });
    events.checking(file);
    await deps.api.finishUpload(started.uploadId, { signal });
    events.ready(started.uploadId);
  } catch (caught) {
    events.refused(describeFailure(caught));
  }
}

/** The early crop step's upload: the file to S3, then the check; null when it failed (already said). */
async function inBackground(started: StartedUpload, prepared: Decoded, deps: UploadDeps, events: UploadEvents, signal: AbortSignal): Promise<ReadyUpload | null> {
  const file = prepared.file;
  try {
    await deps.send(started.upload, file, { signal, limitText: formatBytes(started.maxBytes), onProgress: (progress) => events.backgroundProgress(file, progress) });
    events.backgroundChecking();
    const ready = await deps.api.finishUpload(started.uploadId, { signal, previewInBrowser: true });
    // Crops map onto the server's `displayed` whatever the browser thought; a difference means
    // the two decoders disagree about the file (worth knowing, not fatal).
    if (ready.displayed.width !== prepared.size.width || ready.displayed.height !== prepared.size.height) {
      console.warn("avatar upload: the server sees another size", ready.displayed, prepared.size);
    }
    return ready;
  } catch (caught) {
    if (!signal.aborted) events.refused(describeFailure(caught)); // the user left the step: nothing to say
    return null;
  }
}
