/**
 * The shrink itself, off the main thread so the page stays responsive while a 24 MP photo is
 * decoded and resampled. Decoding applies the EXIF orientation ("from-image") and converts to sRGB
 * (colorSpaceConversion "default"); the canvas is sRGB and its JPEG carries no metadata, so the copy
 * is upright with orientation 1. Only the first frame of an animation is decoded, as on the server.
 * Any failure is answered as "failed": the page then uploads the original.
 */
import { SHRINK_JPEG_QUALITY, shrinkTarget, type ShrinkOutcome } from "./shrink-plan";

export type ShrinkRequest = { file: Blob; shortSide: number };

/** Whether any pixel is not fully opaque: a JPEG would lose it, so such pictures go as WebP (which keeps alpha). */
function hasTransparency(context: OffscreenCanvasRenderingContext2D, width: number, height: number): boolean {
  const { data } = context.getImageData(0, 0, width, height);
  for (let i = 3; i < data.length; i += 4) if (data[i]! < 255) return true;
  return false;
}

async function shrink({ file, shortSide }: ShrinkRequest): Promise<ShrinkOutcome> {
  const decoded = await createImageBitmap(file, { imageOrientation: "from-image", colorSpaceConversion: "default" });
  try {
    const original = { width: decoded.width, height: decoded.height };
    const target = shrinkTarget(original, shortSide);
    if (!target) return { kind: "small", size: original };
    // The browser's "high" resampling filters the whole picture (drawImage alone may only sample it).
    const resized = await createImageBitmap(decoded, { resizeWidth: target.width, resizeHeight: target.height, resizeQuality: "high" });
    const canvas = new OffscreenCanvas(target.width, target.height);
    const context = canvas.getContext("2d", { colorSpace: "srgb", willReadFrequently: file.type !== "image/jpeg" });
    if (!context) throw new Error("no 2d context");
    context.drawImage(resized, 0, 0);
    resized.close();
    const transparent = file.type !== "image/jpeg" && hasTransparency(context, target.width, target.height);
    const type = transparent ? "image/webp" : "image/jpeg";
    const blob = await canvas.convertToBlob({ type, quality: SHRINK_JPEG_QUALITY });
    if (blob.type !== type) throw new Error(`the browser cannot encode ${type}`);
    return { kind: "copy", blob, size: target, original };
  } finally {
    decoded.close();
  }
}

// The project's types are the DOM's (a worker's global differs only in what is used here).
const scope = self as unknown as { onmessage: (event: MessageEvent<ShrinkRequest>) => void; postMessage: (message: ShrinkOutcome) => void };

scope.onmessage = (event) => {
  shrink(event.data).then(
    (outcome) => scope.postMessage(outcome),
    (error: unknown) => scope.postMessage({ kind: "failed", reason: error instanceof Error ? error.message : String(error) } satisfies ShrinkOutcome),
  );
};
