/**
 * The upload step's side of the shrink: runs lib/client/shrink-image.worker.ts on the chosen file
 * and says what to upload. Never throws and never shows an error: when the browser cannot decode
 * the picture, has no worker or OffscreenCanvas, takes too long, or the copy is not smaller, the
 * original is uploaded as it is and the server decides about it as it always did.
 */
import type { Size } from "@/lib/images/crop-geometry";

import { copyFileName, preferCopy, SHRINK_SHORT_SIDE, type ShownPicture, type ShrinkOutcome } from "./shrink-plan";

/** A phone decodes and resamples a 24 MP photo in 1-2 s; far beyond that, sending the original is faster. */
const WORKER_TIMEOUT_MS = 20_000;

export type PreparedUpload =
  /** The smaller copy (upright, sRGB); `size` is its size, which the server will report as displayed. */
  | { kind: "copy"; file: File; size: Size }
  /** The original, decodable by this browser (`size` displayed, EXIF applied): a local preview can be shown. */
  | { kind: "original"; file: File; size: Size }
  /** The original, which this browser could not decode (or did not try): only the server can tell. */
  | { kind: "opaque"; file: File; reason: string };

/** A picture the browser decoded, to show in the crop step while the upload is prepared (its size is the displayed one's shape). */
export type Shown = { blob: Blob; size: Size };

/**
 * A shrink worker created ahead of the file: the browser fetches and starts its scripts (several
 * round trips on a phone's network) while the user is still choosing, not after. It serves one
 * file and is terminated after it; `dispose` ends an unused one (the step is left).
 */
export type ShrinkWorker = { run(file: File, shortSide: number, onShown?: (shown: ShownPicture) => void): Promise<ShrinkOutcome>; dispose(): void };

const unavailable = (reason: string): ShrinkWorker => ({ run: () => Promise.resolve({ kind: "failed", reason }), dispose: () => {} });

/** Never throws: a browser without the APIs, or a worker that cannot be created, gives one that answers "failed". */
export function startShrinkWorker(): ShrinkWorker {
  if (typeof Worker === "undefined" || typeof OffscreenCanvas === "undefined" || typeof createImageBitmap === "undefined") {
    return unavailable("no worker, OffscreenCanvas or createImageBitmap");
  }
  let worker: Worker;
  try {
    worker = new Worker(new URL("./shrink-image.worker.ts", import.meta.url), { type: "module" });
  } catch (error) {
    return unavailable(error instanceof Error ? error.message : String(error));
  }
  // An error before the file comes (its script could not be loaded) is kept for run() to answer.
  let early: string | undefined;
  let settle: ((outcome: ShrinkOutcome) => void) | undefined;
  let show: ((shown: ShownPicture) => void) | undefined;
  worker.onerror = (event) => {
    event.preventDefault();
    const reason = event.message || "worker error";
    if (settle) settle({ kind: "failed", reason });
    else early ??= reason;
  };
  worker.onmessage = (event: MessageEvent<ShrinkOutcome | ShownPicture>) => {
    if (event.data.kind === "shown") show?.(event.data);
    else settle?.(event.data);
  };
  let used = false;
  return {
    run(file, shortSide, onShown) {
      if (used) return Promise.resolve({ kind: "failed", reason: "the worker was used already" });
      used = true;
      return new Promise((resolve) => {
        const timer = setTimeout(() => done({ kind: "failed", reason: "timed out" }), WORKER_TIMEOUT_MS);
        const done = (outcome: ShrinkOutcome) => {
          clearTimeout(timer);
          settle = undefined;
          show = undefined;
          worker.terminate();
          resolve(outcome);
        };
        settle = done;
        show = onShown;
        if (early !== undefined) return done({ kind: "failed", reason: early });
        try {
          worker.postMessage({ file, shortSide });
        } catch (error) {
          done({ kind: "failed", reason: error instanceof Error ? error.message : String(error) });
        }
      });
    },
    dispose() {
      used = true;
      settle?.({ kind: "failed", reason: "disposed" });
      worker.terminate();
    },
  };
}

/**
 * What to upload for `file`. With `shrink` false the worker only decodes (to learn whether a local
 * preview is possible, and its size) and the original is always what goes. `worker`: one started
 * ahead (startShrinkWorker), used and ended here; without it one is started now. `onShown`: called
 * once the picture is decoded, before the copy is made, with a small picture to show meanwhile
 * (only when a copy is made; otherwise the answer itself is shown).
 */
export async function prepareUpload(file: File, options: { shrink: boolean; worker?: ShrinkWorker | null; onShown?: (shown: Shown) => void }): Promise<PreparedUpload> {
  const worker = options.worker ?? startShrinkWorker();
  const onShown = options.onShown;
  // Infinity: "never shrink", so the worker only decodes and reports the displayed size.
  const outcome = await worker.run(file, options.shrink ? SHRINK_SHORT_SIDE : Number.POSITIVE_INFINITY, onShown && ((shown) => onShown({ blob: shown.blob, size: shown.size })));
  switch (outcome.kind) {
    case "failed":
      console.warn("avatar upload: the picture goes as it is", outcome.reason);
      return { kind: "opaque", file, reason: outcome.reason };
    case "small":
      return { kind: "original", file, size: outcome.size };
    case "copy":
      if (!preferCopy(file.size, outcome.blob.size)) return { kind: "original", file, size: outcome.original };
      return {
        kind: "copy",
        file: new File([outcome.blob], copyFileName(file.name, outcome.blob.type), { type: outcome.blob.type, lastModified: file.lastModified }),
        size: outcome.size,
      };
  }
}
