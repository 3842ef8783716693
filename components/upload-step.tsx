"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";

import { CropStep, type BackgroundUpload } from "@/components/crop-step";
import { CameraCapture } from "@/components/camera-capture";
import { ServedBy } from "@/components/served-by";
import { StepFeedback } from "@/components/step-feedback";
import { WizardSteps } from "@/components/wizard-steps";
import type { ReadyUpload, StartedUpload } from "@/lib/avatars/api-types";
import { ApiError, isAbortError } from "@/lib/client/api";
import { wizardApi } from "@/lib/client/wizard-api";
import { prepareUpload, startShrinkWorker, type PreparedUpload, type ShrinkWorker } from "@/lib/client/shrink-image";
import { pickerMaxBytes } from "@/lib/client/shrink-plan";
import { UploadError, uploadToS3 } from "@/lib/client/upload-to-s3";
import type { Size } from "@/lib/images/crop-geometry";
import { ACCEPTED_MIME_TYPES, describeOverLimit, formatBytes, isAcceptedMimeType } from "@/lib/images/formats";

type Phase =
  | { name: "idle" }
  | { name: "preparing"; file: File }
  | { name: "uploading"; file: File; sent: number; total: number }
  | { name: "checking"; file: File }
  | { name: "done" }
  /** The early crop step: shown from the local copy while the upload goes on in the background. */
  | { name: "cropping"; uploadId: string; preview: { url: string; width: number; height: number }; displayed: Size; background: BackgroundUpload };

type Props = {
  maxBytes: number;
  /** UPLOAD_CLIENT_RESIZE: upload a smaller upright copy when the picture is larger than any crop needs. */
  clientResize: boolean;
  /** UPLOAD_EARLY_CROP: show the crop step at once from a local preview while the file uploads. */
  earlyCrop: boolean;
};

function describeFailure(caught: unknown): string {
  if (isAbortError(caught)) return "Upload cancelled.";
  if (caught instanceof ApiError || caught instanceof UploadError) return caught.message;
  console.error("upload failed", caught); // unexpected: keep the details for the developer console
  return "The upload failed. Please try again.";
}

/** The local preview's blob: URL is the picture's bytes held in memory until revoked. */
function revokePreview(ref: { current: string | null }) {
  if (ref.current) URL.revokeObjectURL(ref.current);
  ref.current = null;
}

/** A promise and its resolve, for the crop step to wait on the background check. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export function UploadStep({ maxBytes, clientResize, earlyCrop }: Props) {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const [error, setError] = useState<string>();
  const [dragging, setDragging] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const previewUrlRef = useRef<string | null>(null);
  /** The worker for the next file, started while the user chooses (its scripts cost round trips on a phone). */
  const spareWorkerRef = useRef<ShrinkWorker | null>(null);
  const busy = phase.name !== "idle";
  const prepares = clientResize || earlyCrop;

  /** Back to step 1 (an early crop step's upload failed, or "Choose another picture"): the URL follows. */
  const backToStart = useCallback((message?: string) => {
    abortRef.current?.abort();
    abortRef.current = null;
    revokePreview(previewUrlRef);
    setPhase({ name: "idle" });
    setError(message);
    if (window.location.pathname !== "/avatar/new") window.history.replaceState(null, "", "/avatar/new");
  }, []);

  useEffect(() => {
    if (!prepares || busy) return;
    const worker = startShrinkWorker();
    spareWorkerRef.current = worker;
    return () => {
      // Still spare (not taken by a file): the step is left or busy, so it is not needed now.
      if (spareWorkerRef.current !== worker) return;
      spareWorkerRef.current = null;
      worker.dispose();
    };
  }, [prepares, busy]);

  useEffect(() => {
    const [abort, preview] = [abortRef, previewUrlRef];
    return () => {
      abort.current?.abort();
      revokePreview(preview);
    };
  }, []);

  /** The early crop step: the upload exists (its id is in the URL); the file goes to S3 and is checked behind it. */
  const cropWhileUploading = useCallback(
    (started: StartedUpload, prepared: Exclude<PreparedUpload, { kind: "opaque" }>, controller: AbortController) => {
      const { file, size } = prepared;
      const url = URL.createObjectURL(file);
      previewUrlRef.current = url;
      const check = deferred<ReadyUpload | null>();
      const show = (state: BackgroundUpload["state"]) =>
        setPhase({ name: "cropping", uploadId: started.uploadId, preview: { url, ...size }, displayed: size, background: { state, checked: check.promise, cancel: () => backToStart("Upload cancelled.") } });
      // The URL names the upload from now on; a reload before the check finds it not there ("interrupted").
      window.history.replaceState(null, "", `/avatar/new/${started.uploadId}`);
      show({ stage: "uploading", name: file.name, sent: 0, total: file.size });
      void (async () => {
        try {
          await uploadToS3(started.upload, file, {
            signal: controller.signal,
            limitText: formatBytes(started.maxBytes),
            onProgress: ({ sent, total }) => show({ stage: "uploading", name: file.name, sent, total }),
          });
          show({ stage: "checking" });
          const ready = await wizardApi.finishUpload(started.uploadId, { signal: controller.signal });
          // The crop step maps onto the server's `displayed` whatever the browser thought; a
          // difference means the two decoders disagree about the file (worth knowing, not fatal).
          if (ready.displayed.width !== size.width || ready.displayed.height !== size.height) {
            console.warn("avatar upload: the server sees another size", ready.displayed, size);
          }
          show({ stage: "ready", upload: ready });
          check.resolve(ready);
        } catch (caught) {
          check.resolve(null);
          if (controller.signal.aborted) return; // the user left the step: nothing to say
          backToStart(describeFailure(caught));
        }
      })();
    },
    [backToStart],
  );

  const upload = useCallback(
    async (original: File) => {
      setError(undefined);
      if (!isAcceptedMimeType(original.type)) {
        setError(`"${original.name}" is not a supported picture. Please choose a JPEG, PNG, WebP, GIF or AVIF file.`);
        return;
      }
      if (original.size === 0) {
        setError(`"${original.name}" is empty.`);
        return;
      }
      const pickerLimit = pickerMaxBytes(maxBytes, clientResize);
      if (original.size > pickerLimit) {
        setError(`"${original.name}" ${describeOverLimit(original.size, pickerLimit)}`);
        return;
      }
      const controller = new AbortController();
      abortRef.current = controller;
      let prepared: PreparedUpload = { kind: "opaque", file: original, reason: "not prepared" };
      if (prepares) {
        const worker = spareWorkerRef.current ?? startShrinkWorker();
        spareWorkerRef.current = null; // this file's now: ended after it, or when the step is left
        controller.signal.addEventListener("abort", () => worker.dispose(), { once: true });
        setPhase({ name: "preparing", file: original });
        const start = performance.now();
        prepared = await prepareUpload(original, { shrink: clientResize, worker });
        if (controller.signal.aborted) return;
        if (prepared.kind === "copy") {
          // For the benchmark: how long the shrink took (no marks when the original goes as it is).
          performance.mark("avatar-prepare-start", { startTime: start });
          performance.mark("avatar-prepare-end");
        }
      }
      const file = prepared.file;
      if (file.size > maxBytes) {
        // The copy could not be made or is still too large: the limit applies to what is uploaded.
        setPhase({ name: "idle" });
        abortRef.current = null;
        setError(`"${original.name}" ${describeOverLimit(original.size, maxBytes)}`);
        return;
      }
      setPhase({ name: "uploading", file, sent: 0, total: file.size });
      let handedOver = false;
      try {
        const started = await wizardApi.startUpload({ contentType: file.type, size: file.size, name: file.name }, { signal: controller.signal });
        if (earlyCrop && prepared.kind !== "opaque") {
          handedOver = true; // the controller now belongs to the background upload
          return cropWhileUploading(started, prepared, controller);
        }
        await uploadToS3(started.upload, file, {
          signal: controller.signal,
          limitText: formatBytes(started.maxBytes),
          onProgress: ({ sent, total }) => setPhase({ name: "uploading", file, sent, total }),
        });
        setPhase({ name: "checking", file });
        await wizardApi.finishUpload(started.uploadId, { signal: controller.signal });
        setPhase({ name: "done" });
        router.push(`/avatar/new/${started.uploadId}`);
      } catch (caught) {
        setPhase({ name: "idle" });
        setError(describeFailure(caught));
      } finally {
        if (abortRef.current === controller && !handedOver) abortRef.current = null;
      }
    },
    [maxBytes, clientResize, earlyCrop, prepares, router, cropWhileUploading],
  );

  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const file = Array.from(event.clipboardData?.files ?? [])[0];
      if (file && !busy) {
        event.preventDefault();
        void upload(file);
      }
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  }, [busy, upload]);

  if (phase.name === "cropping") {
    return (
      <>
        <WizardSteps current={2} />
        <CropStep uploadId={phase.uploadId} displayed={phase.displayed} preview={phase.preview} background={phase.background} onChooseAnother={() => backToStart()} />
      </>
    );
  }

  const percent = phase.name === "uploading" && phase.total > 0 ? Math.round((phase.sent / phase.total) * 100) : 0;
  const limit = pickerMaxBytes(maxBytes, clientResize);

  return (
    <>
      <WizardSteps current={1} />
      <section aria-labelledby="upload-heading" className="card">
        <h2 id="upload-heading">Choose a picture</h2>
        <div
          className={`dropzone${dragging ? " dropzone-active" : ""}`}
          data-testid="dropzone"
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            const file = event.dataTransfer.files[0];
            if (file && !busy) void upload(file);
          }}
        >
          <p>Drag a picture here, paste one, or</p>
          <label className="button" aria-disabled={busy}>
            Choose a file
            <input
              type="file"
              accept={ACCEPTED_MIME_TYPES.join(",")}
              className="visually-hidden"
              disabled={busy}
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = "";
                if (file) void upload(file);
              }}
            />
          </label>
          <CameraCapture disabled={busy} onCapture={(file) => void upload(file)} />
          <p className="hint">
            JPEG, PNG, WebP, GIF or AVIF, up to {formatBytes(limit)}
            {limit > maxBytes && ` (larger pictures are made smaller in your browser before they are sent; ${formatBytes(maxBytes)} at most is sent)`}.
          </p>
        </div>

        {phase.name === "preparing" && (
          <p className="progress" role="status">
            Preparing {phase.file.name}…
          </p>
        )}
        {phase.name === "uploading" && (
          <div className="progress" role="status">
            <label htmlFor="upload-progress">
              Uploading {phase.file.name}: {formatBytes(phase.sent)} of {formatBytes(phase.total)} ({percent}%)
            </label>
            <progress id="upload-progress" max={phase.total} value={phase.sent} />
            <button type="button" className="button secondary" onClick={() => abortRef.current?.abort()}>
              Cancel upload
            </button>
          </div>
        )}
        <StepFeedback working={phase.name === "checking" && "Uploaded. Checking the picture…"} error={error} />
        <ServedBy />
      </section>
    </>
  );
}
