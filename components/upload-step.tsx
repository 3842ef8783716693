"use client";

import { useState } from "react";

import { CameraCapture } from "@/components/camera-capture";
import { CropStep } from "@/components/crop-step";
import { ServedBy } from "@/components/served-by";
import { StepFeedback } from "@/components/step-feedback";
import { UploadingBar } from "@/components/upload-progress";
import { useUpload, type UploadPhase } from "@/components/use-upload";
import { WizardSteps } from "@/components/wizard-steps";
import { pickerMaxBytes } from "@/lib/client/shrink-plan";
import { ACCEPT, type UploadSettings } from "@/lib/client/upload-flow";
import { formatBytes } from "@/lib/bytes";

/**
 * Step 1, and with UPLOAD_EARLY_CROP step 2 while the file uploads. The flow is
 * lib/client/upload-flow.ts; its state, components/use-upload.ts.
 * Props: UPLOAD_MAX_BYTES, UPLOAD_CLIENT_RESIZE (upload a smaller upright copy of a picture larger
 * than any crop needs), UPLOAD_EARLY_CROP (the crop step at once, from a local preview).
 */
export function UploadStep(settings: UploadSettings) {
  const upload = useUpload(settings);
  const { phase } = upload;

  if (phase.name === "cropping") {
    return (
      <>
        <WizardSteps current={2} />
        <CropStep uploadId={phase.uploadId} displayed={phase.displayed} preview={phase.preview} background={phase.background} onChooseAnother={() => upload.backToStart()} />
      </>
    );
  }

  return (
    <>
      <WizardSteps current={1} />
      <section aria-labelledby="upload-heading" className="card">
        <h2 id="upload-heading">Choose a picture</h2>
        <Dropzone busy={upload.busy} onFile={upload.choose} settings={settings} />
        <UploadStatus phase={phase} onCancel={upload.cancel} />
        <StepFeedback working={phase.name === "checking" && "Uploaded. Checking the picture…"} error={upload.error} />
        <ServedBy />
      </section>
    </>
  );
}

/** Drag and drop, "Choose a file", "Take a photo", and the limits in words. */
function Dropzone({ busy, onFile, settings }: { busy: boolean; onFile: (file: File) => void; settings: UploadSettings }) {
  const [dragging, setDragging] = useState(false);
  const limit = pickerMaxBytes(settings.maxBytes, settings.clientResize);
  return (
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
        if (file && !busy) onFile(file);
      }}
    >
      <p>Drag a picture here, paste one, or</p>
      <label className="button" aria-disabled={busy}>
        Choose a file
        <input
          type="file"
          accept={ACCEPT}
          className="visually-hidden"
          disabled={busy}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = "";
            if (file) onFile(file);
          }}
        />
      </label>
      <CameraCapture disabled={busy} onCapture={onFile} />
      <p className="hint">
        JPEG, PNG, WebP, GIF or AVIF, up to {formatBytes(limit)}
        {limit > settings.maxBytes && ` (larger pictures are made smaller in your browser before they are sent; ${formatBytes(settings.maxBytes)} at most is sent)`}.
      </p>
    </div>
  );
}

/** "Preparing…", or the upload's progress with its cancel button. */
function UploadStatus({ phase, onCancel }: { phase: UploadPhase; onCancel: () => void }) {
  if (phase.name === "preparing") {
    return (
      <p className="progress" role="status">
        Preparing {phase.file.name}…
      </p>
    );
  }
  if (phase.name !== "uploading") return null;
  return <UploadingBar name={phase.file.name} sent={phase.sent} total={phase.total} onCancel={onCancel} />;
}
