"use client";

import { useEffect, useRef, useState } from "react";

import type { QuarterTurn, Rect } from "@/lib/images/crop-geometry";
import { previewTransform } from "@/lib/images/preview-drawing";

type Props = {
  /** The preview picture the cropper shows (same URL and CORS mode: the browser's cached copy is drawn). */
  src: string;
  /** The cropper's square, in the preview's pixels after the quarter turn; undefined until it has one. */
  area: Rect | undefined;
  rotation: QuarterTurn;
};

const SIZES = [128, 40] as const;

/** What a canvas shows, as an attribute: e2e/crop-preview.spec.ts reads the canvas once it shows the latest crop. */
const drawingKey = (area: Rect | undefined, rotation: QuarterTurn) => (area ? `${area.left},${area.top},${area.width},${rotation}` : "");

/**
 * The avatar as it will look, at two of the sizes it is served at, redrawn from the preview picture
 * whenever the user drags, zooms or turns: no request per change. Each canvas has the CSS size it
 * stands for and device pixels behind it, so it is as sharp as an <img> of that size would be.
 */
export function CropPreview({ src, area, rotation }: Props) {
  const [image, setImage] = useState<HTMLImageElement>();
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);

  useEffect(() => {
    const img = new Image();
    // Without CORS the canvas would be tainted and unreadable; S3's CORS rule allows this origin's GET.
    img.crossOrigin = "anonymous";
    img.decoding = "async";
    let live = true;
    img.onload = () => live && setImage(img);
    img.src = src;
    return () => {
      live = false;
    };
  }, [src]);

  useEffect(() => {
    if (!image || !area) return;
    const frame = requestAnimationFrame(() => {
      const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));
      SIZES.forEach((size, i) => {
        const canvas = canvases.current[i];
        const context = canvas?.getContext("2d");
        if (!canvas || !context) return;
        const side = size * ratio;
        if (canvas.width !== side) [canvas.width, canvas.height] = [side, side];
        context.setTransform(1, 0, 0, 1, 0, 0);
        context.clearRect(0, 0, side, side);
        context.imageSmoothingEnabled = true;
        context.imageSmoothingQuality = "high";
        context.setTransform(...previewTransform(area, { width: image.naturalWidth, height: image.naturalHeight }, rotation, side));
        context.drawImage(image, 0, 0);
        canvas.dataset.drawn = drawingKey(area, rotation);
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [image, area, rotation]);

  return (
    <div className="crop-preview" data-testid="crop-preview" data-area={drawingKey(area, rotation)}>
      <p className="hint">Your avatar</p>
      {SIZES.map((size, i) => (
        <canvas
          key={size}
          ref={(element) => {
            canvases.current[i] = element;
          }}
          role="img"
          aria-label={`Preview of your avatar at ${size} pixels`}
          data-size={size}
          width={size}
          height={size}
          style={{ width: size, height: size }}
        />
      ))}
    </div>
  );
}
