"use client";

import { useState } from "react";
import type { Area } from "react-easy-crop";

import type { Rect, Size } from "@/lib/images/crop-geometry";
import { cropStart, scaleSquare } from "@/lib/images/suggested-crop";

/**
 * Where the cropper opens: on the server's suggestion (in displayed pixels, turned into the
 * preview's), else at the centre. The suggestion may arrive after the step is shown (the check
 * still running): it is applied then only if the user has not moved, zoomed or turned yet, by
 * mounting the cropper anew on it (`cropperKey`); once they have, nothing moves under their hands.
 */
export function useCropStart(suggested: Rect | undefined, displayed: Size, preview: Size) {
  const [touched, setTouched] = useState(false);
  const [applied, setApplied] = useState(suggested);
  const next = cropStart(applied, suggested, touched);
  if (next !== applied) setApplied(next);

  const onPreview = applied && scaleSquare(applied, displayed, preview);
  const initialArea: Area | undefined = onPreview && { x: onPreview.left, y: onPreview.top, width: onPreview.width, height: onPreview.height };
  return {
    initialArea,
    cropperKey: onPreview ? `suggested-${onPreview.left}-${onPreview.top}-${onPreview.width}` : "centre",
    /** Call on anything the user does to the crop. */
    touch: () => setTouched(true),
  };
}
