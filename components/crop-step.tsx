"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import Cropper, { type Area } from "react-easy-crop";

import { ServedBy } from "@/components/served-by";
import { StepFeedback } from "@/components/step-feedback";
import { UploadProgress, type BackgroundUploadState } from "@/components/upload-progress";
import type { CropResult, ReadyUpload } from "@/lib/avatars/api-types";
import { ApiError, apiFetch } from "@/lib/client/api";
import { isQuarterTurn, scaleCropToOriginal, type QuarterTurn, type Size } from "@/lib/images/crop-geometry";
import { CROP_MAX_ZOOM } from "@/lib/images/formats";

/**
 * The early crop step (UPLOAD_EARLY_CROP): the picture is shown from the browser's own copy while
 * the file uploads and is checked. `checked` settles with the server's answer, or null when the
 * upload failed (the upload step then goes back to step 1 with the reason).
 */
export type BackgroundUpload = { state: BackgroundUploadState; checked: Promise<ReadyUpload | null>; cancel: () => void };

type Props = Pick<ReadyUpload, "uploadId" | "displayed" | "preview"> & {
  background?: BackgroundUpload;
  /** With `background`: the step lives inside the upload step's page, which must drop the upload itself. */
  onChooseAnother?: () => void;
};

const swap = (size: Size, turn: QuarterTurn): Size =>
  turn === 90 || turn === 270 ? { width: size.height, height: size.width } : size;

export function CropStep({ uploadId, displayed, preview, background, onChooseAnother }: Props) {
  const router = useRouter();
  const [crop, setCrop] = useState({ x: 0, y: 0 });
  const [zoom, setZoom] = useState(1);
  const [rotation, setRotation] = useState<QuarterTurn>(0);
  const [area, setArea] = useState<Area>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  // Where "the check answered with a ReadyUpload" is handled. Without `background` the page got
  // the checked upload from S3; with it (the early crop step) the answer arrives while the step is
  // shown, and from then on crops use the space it reports. Anything else the check answers (a
  // suggested crop, applied if the user has not moved the crop yet) belongs here too.
  const checked: Pick<ReadyUpload, "displayed"> | undefined = !background ? { displayed } : background.state.stage === "ready" ? background.state.upload : undefined;

  const turn = (by: number) => {
    const next = (((rotation + by) % 360) + 360) % 360;
    if (isQuarterTurn(next)) setRotation(next);
  };

  async function submit() {
    if (!area || pending) return;
    setPending(true);
    setError(undefined);
    // "Crop" waits for the check; the area is in the shown picture's pixels, the request in the
    // server's displayed space (the server's word, not the browser's guess of it).
    const ready = checked ?? (await background?.checked);
    if (!ready) return; // the upload failed: the upload step goes back to step 1 and says why
    const rect = scaleCropToOriginal(
      { left: area.x, top: area.y, width: area.width, height: area.height },
      swap({ width: preview.width, height: preview.height }, rotation),
      swap(ready.displayed, rotation),
    );
    try {
      const result = await apiFetch<CropResult>(`/api/uploads/${uploadId}/crop`, {
        method: "POST",
        body: { ...rect, rotation },
      });
      router.push(`/avatar/new/${uploadId}/${result.cropId}`);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Cropping failed. Please try again.");
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="crop-heading" className="card">
      <h2 id="crop-heading">Crop your picture</h2>
      <p className="hint">Drag to move, use the slider or the mouse wheel to zoom. With the keyboard: focus the picture and use the arrow keys.</p>
      <div className="cropper" data-testid="cropper">
        <Cropper
          image={preview.url}
          crop={crop}
          zoom={zoom}
          maxZoom={CROP_MAX_ZOOM}
          rotation={rotation}
          aspect={1}
          cropShape="round"
          showGrid={false}
          onCropChange={setCrop}
          onZoomChange={setZoom}
          onCropComplete={(_, pixels) => setArea(pixels)}
          cropperProps={{ role: "group", "aria-label": "Crop area. Use the arrow keys to move the picture." }}
          mediaProps={{ alt: "Your picture" }}
        />
      </div>
      <div className="controls">
        <label htmlFor="zoom">Zoom</label>
        <input id="zoom" type="range" min={1} max={CROP_MAX_ZOOM} step={0.05} value={zoom} onChange={(event) => setZoom(Number(event.target.value))} />
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
        <button type="button" className="button" onClick={submit} disabled={!area || pending}>
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
      {background && <UploadProgress state={background.state} onCancel={background.cancel} />}
      <StepFeedback working={pending && (checked ? "Cropping on the server…" : "Waiting for the upload to finish…")} error={error} />
      <ServedBy />
    </section>
  );
}
