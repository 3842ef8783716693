"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import Cropper from "react-easy-crop";

import { CropPreview } from "@/components/crop-preview";
import { ServedBy } from "@/components/served-by";
import { StepFeedback } from "@/components/step-feedback";
import { UploadProgress, type BackgroundUploadState } from "@/components/upload-progress";
import { useCropStart } from "@/components/use-crop-start";
import { useElementSize } from "@/components/use-element-size";
import type { ReadyUpload } from "@/lib/avatars/api-types";
import { problemOf, type StepProblem } from "@/lib/client/api";
import { wizardApi } from "@/lib/client/wizard-api";
import { cropProblem, isQuarterTurn, scaleCropToOriginal, type QuarterTurn, type Size } from "@/lib/images/crop-geometry";
import { squareInView } from "@/lib/images/cropper-view";
import { CROP_MAX_ZOOM } from "@/lib/images/formats";

/**
 * The early crop step (UPLOAD_EARLY_CROP): the picture is shown from the browser's own copy while
 * the file uploads and is checked. `checked` settles with the server's answer, or null when the
 * upload failed (the upload step then goes back to step 1 with the reason).
 */
export type BackgroundUpload = { state: BackgroundUploadState; checked: Promise<ReadyUpload | null>; cancel: () => void };

type Props = Pick<ReadyUpload, "displayed" | "preview" | "suggestedCrop"> & {
  /** Undefined while the early crop step's upload is not announced yet: the check's answer names it. */
  uploadId: string | undefined;
  background?: BackgroundUpload;
  /** With `background`: the step lives inside the upload step's page, which must drop the upload itself. */
  onChooseAnother?: () => void;
};

const swap = (size: Size, turn: QuarterTurn): Size =>
  turn === 90 || turn === 270 ? { width: size.height, height: size.width } : size;

const NOT_READY = "The picture is still loading; Crop is available once it is shown.";

export function CropStep({ uploadId, displayed, preview, suggestedCrop, background, onChooseAnother }: Props) {
  const router = useRouter();
  const [crop, setCrop] = useState({ x: 0, y: 0 });
  const [zoom, setZoom] = useState(1);
  const [rotation, setRotation] = useState<QuarterTurn>(0);
  // The picture the cropper has loaded (its natural size): the square is in its pixels.
  const [media, setMedia] = useState<{ url: string; size: Size }>();
  const [frameRef, frameSize, measureFrame] = useElementSize<HTMLDivElement>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<StepProblem>();
  // Where "the check answered with a ReadyUpload" is handled. Without `background` the page got
  // the checked upload from S3; with it (the early crop step) the answer arrives while the step is
  // shown, and from then on crops use the space it reports. Anything else the check answers (a
  // suggested crop, applied if the user has not moved the crop yet) belongs here too.
  const checked: Pick<ReadyUpload, "uploadId" | "displayed" | "suggestedCrop"> | undefined = !background
    ? uploadId === undefined
      ? undefined
      : { uploadId, displayed, suggestedCrop }
    : background.state.stage === "ready"
      ? background.state.upload
      : undefined;
  const start = useCropStart(checked?.suggestedCrop, checked?.displayed ?? displayed, preview);
  const picture = media?.url === preview.url ? media.size : undefined;
  // What the user sees, from the state the cropper is drawn from (never from its last callback).
  const squareIn = (frameSize: Size | undefined) => (picture && frameSize ? squareInView({ crop, zoom, rotation }, picture, frameSize) : undefined);
  const square = squareIn(frameSize);

  const zoomTo = (value: number) => {
    start.touch();
    setZoom(value);
  };
  // The largest square at the centre: where the step opened before suggestions existed.
  const backToCentre = () => {
    start.touch();
    setCrop({ x: 0, y: 0 });
    setZoom(1);
  };

  const turn = (by: number) => {
    start.touch();
    const next = (((rotation + by) % 360) + 360) % 360;
    if (isQuarterTurn(next)) setRotation(next);
  };

  async function submit() {
    // Read at the click: the frame as laid out now, the position and zoom the picture is drawn with.
    const shown = squareIn(measureFrame());
    if (!shown || !picture || pending) return;
    setPending(true);
    setError(undefined);
    // "Crop" waits for the check; the square is in the shown picture's pixels, the request in the
    // server's displayed space (the server's word, not the browser's guess of it).
    const ready = checked ?? (await background?.checked);
    if (!ready) return; // the upload failed: the upload step goes back to step 1 and says why
    const original = swap(ready.displayed, rotation);
    const rect = scaleCropToOriginal(shown, swap(picture, rotation), original);
    if (cropProblem({ ...rect, rotation }, original)) {
      // Cannot happen with the square above (it is clamped to the picture): never send it if it does.
      setError({ message: "This crop could not be made. Move or zoom the picture a little, then press Crop again." });
      setPending(false);
      return;
    }
    try {
      const result = await wizardApi.crop(ready.uploadId, { ...rect, rotation });
      router.push(`/avatar/new/${ready.uploadId}/${result.cropId}`);
    } catch (caught) {
      setError(problemOf(caught, "Cropping failed. Please try again."));
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="crop-heading" className="card">
      <h2 id="crop-heading">Crop your picture</h2>
      <p className="hint">Drag to move, use the slider or the mouse wheel to zoom. With the keyboard: focus the picture and use the arrow keys.</p>
      <div className="cropper" data-testid="cropper" ref={frameRef}>
        <Cropper
          key={start.cropperKey}
          initialCroppedAreaPixels={start.initialArea}
          image={preview.url}
          crop={crop}
          zoom={zoom}
          maxZoom={CROP_MAX_ZOOM}
          rotation={rotation}
          aspect={1}
          cropShape="round"
          showGrid={false}
          onCropChange={(next) => Number.isFinite(next.x) && Number.isFinite(next.y) && setCrop(next)}
          // The cropper computes a NaN zoom when it lays out a suggestion before its picture has a size.
          onZoomChange={(next) => Number.isFinite(next) && setZoom(Math.min(CROP_MAX_ZOOM, Math.max(1, next)))}
          onMediaLoaded={(size) => setMedia({ url: preview.url, size: { width: size.naturalWidth, height: size.naturalHeight } })}
          onInteractionStart={start.touch}
          cropperProps={{ role: "group", "aria-label": "Crop area. Use the arrow keys to move the picture." }}
          mediaProps={{ alt: "Your picture", crossOrigin: "anonymous" }}
        />
      </div>
      <CropPreview src={preview.url} area={square} rotation={rotation} />
      <div className="controls">
        <label htmlFor="zoom">Zoom</label>
        <input id="zoom" type="range" min={1} max={CROP_MAX_ZOOM} step={0.05} value={zoom} onChange={(event) => zoomTo(Number(event.target.value))} />
        <button type="button" className="button secondary" onClick={backToCentre}>
          Back to the centre
        </button>
        <button type="button" className="button secondary" onClick={() => turn(-90)}>
          Rotate left
        </button>
        <button type="button" className="button secondary" onClick={() => turn(90)}>
          Rotate right
        </button>
        <span className="hint" aria-live="polite">
          Rotation: {rotation}°
        </span>
      </div>
      <div className="actions">
        <button type="button" className="button" onClick={submit} disabled={!square || pending} aria-describedby={square ? undefined : "crop-not-ready"}>
          {pending ? "Cropping…" : "Crop"}
        </button>
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
