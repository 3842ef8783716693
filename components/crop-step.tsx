"use client";

import Link from "next/link";
import Cropper from "react-easy-crop";

import { CropPreview } from "@/components/crop-preview";
import { ServedBy } from "@/components/served-by";
import { StepFeedback } from "@/components/step-feedback";
import { UploadProgress } from "@/components/upload-progress";
import { useCropStep, type CropStepUpload } from "@/components/use-crop-step";
import type { QuarterTurn } from "@/lib/images/crop-geometry";
import { CROP_MAX_ZOOM } from "@/lib/images/formats";

type Props = CropStepUpload & {
  /** With `background`: the step lives inside the upload step's page, which must drop the upload itself. */
  onChooseAnother?: () => void;
};

const NOT_READY = "The picture is still loading; Crop is available once it is shown.";

/** Step 2: the cropper, its live preview, the controls and Crop. The state is components/use-crop-step.ts. */
export function CropStep({ onChooseAnother, ...upload }: Props) {
  const { view, square, pending, error, checked, frameRef, cropper, actions } = useCropStep(upload);
  const { preview, background } = upload;

  return (
    <section aria-labelledby="crop-heading" className="card">
      <h2 id="crop-heading">Crop your picture</h2>
      <p className="hint">Drag to move, use the slider or the mouse wheel to zoom. With the keyboard: focus the picture and use the arrow keys.</p>
      <div className="cropper" data-testid="cropper" ref={frameRef}>
        <Cropper
          key={cropper.key}
          initialCroppedAreaPixels={cropper.initialArea}
          image={preview.url}
          crop={view.crop}
          zoom={view.zoom}
          maxZoom={CROP_MAX_ZOOM}
          rotation={view.rotation}
          aspect={1}
          cropShape="round"
          showGrid={false}
          onCropChange={cropper.onCropChange}
          onZoomChange={cropper.onZoomChange}
          onMediaLoaded={cropper.onMediaLoaded}
          onInteractionStart={cropper.onInteractionStart}
          cropperProps={{ role: "group", "aria-label": "Crop area. Use the arrow keys to move the picture." }}
          mediaProps={{ alt: "Your picture", crossOrigin: "anonymous" }}
        />
      </div>
      <CropPreview src={preview.url} area={square} rotation={view.rotation} />
      <CropControls zoom={view.zoom} rotation={view.rotation} actions={actions} />
      <div className="actions">
        <button type="button" className="button" onClick={actions.submit} disabled={!square || pending} aria-describedby={square ? undefined : "crop-not-ready"}>
          {pending ? "Cropping…" : "Crop"}
        </button>
        <ChooseAnother onChooseAnother={onChooseAnother} />
      </div>
      {!square && (
        <p id="crop-not-ready" className="hint">
          {NOT_READY}
        </p>
      )}
      {background && <UploadProgress state={background.state} onCancel={background.cancel} />}
      <StepFeedback working={pending && (checked ? "Cropping on the server…" : "Waiting for the upload to finish…")} error={error} />
      <ServedBy />
    </section>
  );
}

type Actions = ReturnType<typeof useCropStep>["actions"];

/** Zoom, back to the centre, the quarter turns, and the turn in words for screen readers. */
function CropControls({ zoom, rotation, actions }: { zoom: number; rotation: QuarterTurn; actions: Actions }) {
  return (
    <div className="controls">
      <label htmlFor="zoom">Zoom</label>
      <input id="zoom" type="range" min={1} max={CROP_MAX_ZOOM} step={0.05} value={zoom} onChange={(event) => actions.zoomTo(Number(event.target.value))} />
      <button type="button" className="button secondary" onClick={actions.backToCentre}>
        Back to the centre
      </button>
      <button type="button" className="button secondary" onClick={() => actions.turn(-90)}>
        Rotate left
      </button>
      <button type="button" className="button secondary" onClick={() => actions.turn(90)}>
        Rotate right
      </button>
      <span className="hint" aria-live="polite">
        Rotation: {rotation}°
      </span>
    </div>
  );
}

/** A link to step 1; inside the upload step's page (the early crop step) that page drops the upload itself. */
function ChooseAnother({ onChooseAnother }: { onChooseAnother: (() => void) | undefined }) {
  return (
    <Link
      className="button secondary"
      href="/avatar/new"
      onClick={(event) => {
        if (!onChooseAnother) return;
        event.preventDefault();
        onChooseAnother();
      }}
    >
      Choose another picture
    </Link>
  );
}
