/**
 * The shrink itself, off the main thread so the page stays responsive while a 24 MP photo is
 * decoded and resampled. Decoding applies the EXIF orientation ("from-image") and converts to sRGB
 * (colorSpaceConversion "default"); the canvas is sRGB and its JPEG carries no metadata, so the copy
 * is upright with orientation 1. Only the first frame of an animation is decoded, as on the server.
 * Any failure is answered as "failed": the page then uploads the original. The crop step's picture
 * is posted first, from a scaled decode of a JPEG before the full one where the browser can.
 *
 * The resampling is the server's own filter (Lanczos-3, lib/client/resample.ts), so that an avatar
 * cropped from the copy is the one the server would have cropped from the original; where
 * WebAssembly is not available, the browser's "high" filter (close, not the same).
 */
import { displayedSize, frameHasOrientation, JPEG_HEADER_BYTES, readJpegHeader, sameShape, scaledDecodeSize } from "./jpeg-header";
import { loadResampler, premultiply, unpremultiply, type ResamplerFactory } from "./resample";
import { SHOWN_JPEG_QUALITY, SHOWN_SHORT_SIDE, SHRINK_JPEG_QUALITY, shrinkTarget, type ShownPicture, type ShrinkOutcome } from "./shrink-plan";

export type ShrinkRequest = { file: Blob; shortSide: number };

/** Rows of the decoded picture read back at a time (about 4 MB): never the whole picture as one more array. */
const STRIP_BYTES = 4 * 1024 * 1024;

// Compiled as soon as the worker starts (it is started ahead of the file), so it is ready when the file comes.
const resampler: Promise<ResamplerFactory | null> = loadResampler().catch((error: unknown) => {
  console.warn("avatar upload: the browser's own resampling is used", error);
  return null;
});

/** Whether any pixel is not fully opaque: a JPEG would lose it, so such pictures go as WebP (which keeps alpha). */
function hasTransparency(rgba: Uint8ClampedArray): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! < 255) return true;
  return false;
}

/** The copy's pixels by Lanczos-3, read from `decoded` a strip at a time, and whether any is not opaque. */
function lanczosCopy(make: ResamplerFactory, decoded: ImageBitmap, target: { width: number; height: number }, mayBeTransparent: boolean): { image: ImageData; transparent: boolean } {
  const { width, height } = decoded;
  const stripRows = Math.max(1, Math.min(height, Math.floor(STRIP_BYTES / (width * 4))));
  const strip = new OffscreenCanvas(width, stripRows).getContext("2d", { colorSpace: "srgb", willReadFrequently: true });
  if (!strip) throw new Error("no 2d context");
  const resample = make(width, height, target.width, target.height, stripRows);
  let transparent = false;
  for (let y = 0; y < height; y += stripRows) {
    const rows = Math.min(stripRows, height - y);
    if (mayBeTransparent) strip.clearRect(0, 0, width, stripRows);
    strip.drawImage(decoded, 0, y, width, rows, 0, 0, width, rows);
    const { data } = strip.getImageData(0, 0, width, rows, { colorSpace: "srgb" });
    if (mayBeTransparent && (transparent || hasTransparency(data))) {
      transparent = true;
      premultiply(data);
    }
    resample.addRows(data, y, rows);
  }
  const pixels = resample.finish();
  if (transparent) unpremultiply(pixels);
  return { image: new ImageData(pixels, target.width, target.height, { colorSpace: "srgb" }), transparent };
}

/**
 * A small picture to show in the crop step while the copy is made (the browser's filter: it is
 * only looked at), drawn from `source` (`size`: its upright size). A JPEG has no alpha, so anything
 * else is shown as PNG.
 */
async function shownPicture(source: ImageBitmap | VideoFrame, size: { width: number; height: number }, mayBeTransparent: boolean): Promise<ShownPicture> {
  const shown = shrinkTarget(size, SHOWN_SHORT_SIDE) ?? size;
  const small = await createImageBitmap(source, { resizeWidth: shown.width, resizeHeight: shown.height, resizeQuality: "medium" });
  const canvas = new OffscreenCanvas(shown.width, shown.height);
  const context = canvas.getContext("2d", { colorSpace: "srgb" });
  if (!context) throw new Error("no 2d context");
  context.drawImage(small, 0, 0);
  small.close();
  const blob = await canvas.convertToBlob(mayBeTransparent ? { type: "image/png" } : { type: "image/jpeg", quality: SHOWN_JPEG_QUALITY });
  return { kind: "shown", blob, size: shown };
}

/**
 * For a JPEG that will be shrunk: the picture decoded at a fraction of its size (the decoder's DCT
 * scaling, a third of the full decode's time), upright, to show before the full decode ends
 * (docs/decisions/crop-step-before-the-copy.md). Null when there is no such shortcut (another
 * format, no ImageDecoder, a header it cannot read, or a decoder that answers another shape or
 * orientation).
 */
async function scaledDecode(file: Blob, shortSide: number): Promise<{ frame: VideoFrame; size: { width: number; height: number }; close(): void } | null> {
  if (file.type !== "image/jpeg" || typeof ImageDecoder === "undefined") return null;
  const header = readJpegHeader(new Uint8Array(await file.slice(0, JPEG_HEADER_BYTES).arrayBuffer()));
  if (!header) return null;
  const displayed = displayedSize(header);
  const desired = shrinkTarget(displayed, shortSide) && scaledDecodeSize(displayed, SHOWN_SHORT_SIDE);
  if (!desired) return null;
  // Chromium's ImageDecoder applies the EXIF orientation (displayWidth/-Height are upright), as "from-image" does; checked below.
  const decoder = new ImageDecoder({ data: file.stream(), type: file.type, desiredWidth: desired.width, desiredHeight: desired.height, colorSpaceConversion: "default" });
  try {
    const { image } = await decoder.decode({ frameIndex: 0 });
    const size = { width: image.displayWidth, height: image.displayHeight };
    const close = () => {
      image.close();
      decoder.close();
    };
    // A mirror or half turn keeps the shape: only a decoder that reports the header's orientation shows it.
    if (sameShape(size, displayed) && frameHasOrientation(header.orientation, image as { rotation?: unknown; flip?: unknown })) return { frame: image, size, close };
    close();
    return null;
  } catch (error) {
    decoder.close();
    throw error;
  }
}

/** The shown picture from the scaled decode, once that is decoded; never rejects (null: show it after the full decode). */
async function earlyShown(file: Blob, shortSide: number): Promise<{ picture: Promise<ShownPicture | null> }> {
  const fail = (error: unknown) => {
    console.warn("avatar upload: the crop step waits for the full decode", error);
    return null;
  };
  const scaled = await scaledDecode(file, shortSide).catch(fail);
  if (!scaled) return { picture: Promise.resolve(null) };
  const picture = shownPicture(scaled.frame, scaled.size, false).catch(fail).finally(scaled.close);
  return { picture };
}

async function shrink({ file, shortSide }: ShrinkRequest, show: (shown: ShownPicture) => void): Promise<ShrinkOutcome> {
  const early = await earlyShown(file, shortSide);
  // The full decode starts once the scaled one is done (not beside it: on two cores they slowed each other), while the shown picture is drawn.
  const decoding = createImageBitmap(file, { imageOrientation: "from-image", colorSpaceConversion: "default" });
  const shownEarly = early.picture.then((picture) => {
    if (picture) show(picture);
    return picture !== null;
  });
  const decoded = await decoding.finally(() => shownEarly);
  try {
    const original = { width: decoded.width, height: decoded.height };
    const target = shrinkTarget(original, shortSide);
    if (!target) return { kind: "small", size: original };
    // The crop step is shown from this while the copy below is made (most of the worker's time).
    if (!(await shownEarly)) show(await shownPicture(decoded, original, file.type !== "image/jpeg"));
    const canvas = new OffscreenCanvas(target.width, target.height);
    // A JPEG has no alpha; anything else may.
    const mayBeTransparent = file.type !== "image/jpeg";
    const context = canvas.getContext("2d", { colorSpace: "srgb" });
    if (!context) throw new Error("no 2d context");
    const make = await resampler;
    let transparent: boolean;
    if (make) {
      const copy = lanczosCopy(make, decoded, target, mayBeTransparent);
      context.putImageData(copy.image, 0, 0);
      transparent = copy.transparent;
    } else {
      // The browser's "high" resampling filters the whole picture (drawImage alone may only sample it).
      const resized = await createImageBitmap(decoded, { resizeWidth: target.width, resizeHeight: target.height, resizeQuality: "high" });
      context.drawImage(resized, 0, 0);
      resized.close();
      transparent = mayBeTransparent && hasTransparency(context.getImageData(0, 0, target.width, target.height).data);
    }
    const type = transparent ? "image/webp" : "image/jpeg";
    const blob = await canvas.convertToBlob({ type, quality: SHRINK_JPEG_QUALITY });
    if (blob.type !== type) throw new Error(`the browser cannot encode ${type}`);
    return { kind: "copy", blob, size: target, original };
  } finally {
    decoded.close();
  }
}

// The project's types are the DOM's (a worker's global differs only in what is used here).
const scope = self as unknown as { onmessage: (event: MessageEvent<ShrinkRequest>) => void; postMessage: (message: ShrinkOutcome | ShownPicture) => void };

scope.onmessage = (event) => {
  shrink(event.data, (shown) => scope.postMessage(shown)).then(
    (outcome) => scope.postMessage(outcome),
    (error: unknown) => scope.postMessage({ kind: "failed", reason: error instanceof Error ? error.message : String(error) } satisfies ShrinkOutcome),
  );
};
