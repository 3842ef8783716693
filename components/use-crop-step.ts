"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import type { MediaSize, Point } from "react-easy-crop";

import type { BackgroundUploadState } from "@/components/upload-progress";
import { useCropStart } from "@/components/use-crop-start";
import { useElementSize } from "@/components/use-element-size";
import type { ReadyUpload } from "@/lib/avatars/api-types";
import { problemOf, type StepProblem } from "@/lib/client/api";
import { checkedUpload, cropRequest, nextPosition, nextZoom, shownSquare, turnBy } from "@/lib/client/crop-step";
import { wizardApi } from "@/lib/client/wizard-api";
import type { QuarterTurn, Size } from "@/lib/images/crop-geometry";

/**
 * The early crop step (UPLOAD_EARLY_CROP): the picture is shown from the browser's own copy while
 * the file uploads and is checked. `checked` settles with the server's answer, or null when the
 * upload failed (the upload step then goes back to step 1 with the reason).
 */
export type BackgroundUpload = { state: BackgroundUploadState; checked: Promise<ReadyUpload | null>; cancel: () => void };

export type CropStepUpload = Pick<ReadyUpload, "displayed" | "preview" | "suggestedCrop"> & {
  /** Undefined while the early crop step's upload is not announced yet: the check's answer names it. */
  uploadId: string | undefined;
  background?: BackgroundUpload;
};

const CROP_REFUSED = "This crop could not be made. Move or zoom the picture a little, then press Crop again.";

/**
 * The crop step's state over lib/client/crop-step.ts: where the cropper opens (use-crop-start.ts),
 * the position, zoom and quarter turn the cropper is drawn from, the square they show, and Crop:
 * it waits for the check, sends the square in the server's displayed space, then goes to step 3.
 */
export function useCropStep({ uploadId, displayed, preview, suggestedCrop, background }: CropStepUpload) {
  const router = useRouter();
  const [crop, setCrop] = useState<Point>({ x: 0, y: 0 });
  const [zoom, setZoom] = useState(1);
  const [rotation, setRotation] = useState<QuarterTurn>(0);
  // The picture the cropper has loaded (its natural size): the square is in its pixels.
  const [media, setMedia] = useState<{ url: string; size: Size }>();
  const [frameRef, frameSize, measureFrame] = useElementSize<HTMLDivElement>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<StepProblem>();
  const checked = checkedUpload({ uploadId, displayed, suggestedCrop }, background?.state);
  const start = useCropStart(checked?.suggestedCrop, checked?.displayed ?? displayed, preview);
  const picture = media?.url === preview.url ? media.size : undefined;
  // What the user sees, from the state the cropper is drawn from (never from its last callback); the
  // same object until that changes, so the live preview is not redrawn on every upload progress event.
  const view = useMemo(() => ({ crop, zoom, rotation }), [crop, zoom, rotation]);
  const square = useMemo(() => shownSquare(view, picture, frameSize), [view, picture, frameSize]);

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
  const turn = (by: -90 | 90) => {
    start.touch();
    setRotation(turnBy(rotation, by));
  };

  async function submit() {
    // Read at the click: the frame as laid out now, the position and zoom the picture is drawn with.
    const shown = shownSquare(view, picture, measureFrame());
    if (!shown || !picture || pending) return;
    setPending(true);
    setError(undefined);
    // "Crop" waits for the check: the request is in the space its answer reports.
    const ready = checked ?? (await background?.checked);
    if (!ready) return; // the upload failed: the upload step goes back to step 1 and says why
    const request = cropRequest(shown, picture, rotation, ready.displayed);
    if (!request) {
      // Cannot happen with the square above (it is clamped to the picture): never send it if it does.
      setError({ message: CROP_REFUSED });
      setPending(false);
      return;
    }
    try {
      const result = await wizardApi.crop(ready.uploadId, request);
      router.push(`/avatar/new/${ready.uploadId}/${result.cropId}`);
    } catch (caught) {
      setError(problemOf(caught, "Cropping failed. Please try again."));
      setPending(false);
    }
  }

  return {
    view,
    square,
    pending,
    error,
    /** Whether the check has answered: Crop then waits for the server, else for the upload. */
    checked: checked !== undefined,
    frameRef,
    /** What the cropper is opened on, and what it reports. */
    cropper: {
      key: start.cropperKey,
      initialArea: start.initialArea,
      onCropChange: (reported: Point) => setCrop((current) => nextPosition(current, reported)),
      // The cropper computes a NaN zoom when it lays out a suggestion before its picture has a size.
      onZoomChange: (reported: number) => {
        const next = nextZoom(reported);
        if (next !== undefined) setZoom(next);
      },
      onMediaLoaded: (size: MediaSize) => setMedia({ url: preview.url, size: { width: size.naturalWidth, height: size.naturalHeight } }),
      onInteractionStart: start.touch,
    },
    actions: { zoomTo, backToCentre, turn, submit },
  };
}
