"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";

import { CameraCapture } from "@/components/camera-capture";
import { ServedBy } from "@/components/served-by";
import { StepFeedback } from "@/components/step-feedback";
import type { StartedUpload } from "@/lib/avatars/api-types";
import { ApiError, apiFetch, isAbortError } from "@/lib/client/api";
import { UploadError, uploadToS3 } from "@/lib/client/upload-to-s3";
import { ACCEPTED_MIME_TYPES, describeOverLimit, formatBytes, isAcceptedMimeType } from "@/lib/images/formats";

type Phase =
  | { name: "idle" }
  | { name: "uploading"; file: File; sent: number; total: number }
  | { name: "checking"; file: File }
  | { name: "done" };

export function UploadStep({ maxBytes }: { maxBytes: number }) {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const [error, setError] = useState<string>();
  const [dragging, setDragging] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const busy = phase.name === "uploading" || phase.name === "checking" || phase.name === "done";

  const upload = useCallback(
    async (file: File) => {
      setError(undefined);
      if (!isAcceptedMimeType(file.type)) {
        setError(`"${file.name}" is not a supported picture. Please choose a JPEG, PNG, WebP, GIF or AVIF file.`);
        return;
      }
      if (file.size === 0) {
        setError(`"${file.name}" is empty.`);
        return;
      }
      if (file.size > maxBytes) {
        setError(`"${file.name}" ${describeOverLimit(file.size, maxBytes)}`);
        return;
      }
      const controller = new AbortController();
      abortRef.current = controller;
      setPhase({ name: "uploading", file, sent: 0, total: file.size });
      try {
        const started = await apiFetch<StartedUpload>("/api/uploads", {
          method: "POST",
          body: { contentType: file.type, size: file.size, name: file.name },
          signal: controller.signal,
        });
        await uploadToS3(started.post, file, {
          signal: controller.signal,
          limitText: formatBytes(started.maxBytes),
          onProgress: ({ sent, total }) => setPhase({ name: "uploading", file, sent, total }),
        });
        setPhase({ name: "checking", file });
        await apiFetch(`/api/uploads/${started.uploadId}/finish`, { method: "POST", signal: controller.signal });
        setPhase({ name: "done" });
        router.push(`/avatar/new/${started.uploadId}`);
      } catch (caught) {
        setPhase({ name: "idle" });
        if (isAbortError(caught)) {
          setError("Upload cancelled.");
        } else if (caught instanceof ApiError || caught instanceof UploadError) {
          setError(caught.message);
        } else {
          console.error("upload failed", caught); // unexpected: keep the details for the developer console
          setError("The upload failed. Please try again.");
        }
      } finally {
        abortRef.current = null;
      }
    },
    [maxBytes, router],
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

  const percent = phase.name === "uploading" && phase.total > 0 ? Math.round((phase.sent / phase.total) * 100) : 0;

  return (
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
        <p className="hint">JPEG, PNG, WebP, GIF or AVIF, up to {formatBytes(maxBytes)}.</p>
      </div>

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
  );
}
