"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import type { BackgroundUpload } from "@/components/use-crop-step";
import type { Size } from "@/lib/images/crop-geometry";
import { prepareUpload, startShrinkWorker, type Shown, type ShrinkWorker } from "@/lib/client/shrink-image";
import { uploadPicture, type UploadSettings } from "@/lib/client/upload-flow";
import { uploadToS3 } from "@/lib/client/upload-to-s3";
import { wizardApi } from "@/lib/client/wizard-api";

export type UploadPhase =
  | { name: "idle" }
  | { name: "preparing"; file: File }
  | { name: "uploading"; file: File; sent: number; total: number }
  | { name: "checking"; file: File }
  | { name: "done" }
  /** The early crop step: shown from the browser's decoded picture while the upload is prepared, made and checked behind it (no id before the presign). */
  | { name: "cropping"; uploadId: string | undefined; preview: { url: string; width: number; height: number }; displayed: Size; background: BackgroundUpload };

/** The local preview's blob: URL is the picture's bytes held in memory until revoked. */
function revokePreview(ref: { current: string | null }) {
  if (ref.current) URL.revokeObjectURL(ref.current);
  ref.current = null;
}

/** Marks for the benchmark: how long the shrink took (no marks when the original goes as it is). */
function markPrepared(startTime: number) {
  performance.mark("avatar-prepare-start", { startTime });
  performance.mark("avatar-prepare-end");
}

/**
 * Step 1's state over lib/client/upload-flow.ts: the phase shown, the error, a shrink worker
 * started while the user chooses (its scripts cost round trips on a phone), the early crop step's
 * background upload, cancel, paste, and the URL that names the upload once it exists.
 */
export function useUpload({ maxBytes, clientResize, earlyCrop }: UploadSettings) {
  const router = useRouter();
  const settings = useMemo(() => ({ maxBytes, clientResize, earlyCrop }), [maxBytes, clientResize, earlyCrop]);
  const [phase, setPhase] = useState<UploadPhase>({ name: "idle" });
  const [error, setError] = useState<string>();
  const abortRef = useRef<AbortController | null>(null);
  const previewUrlRef = useRef<string | null>(null);
  const spareWorkerRef = useRef<ShrinkWorker | null>(null);
  const busy = phase.name !== "idle";
  const prepares = clientResize || earlyCrop;

  /** Back to step 1 (a refused file, a failed upload, or "Choose another picture"): the URL follows. */
  const backToStart = useCallback((message?: string) => {
    abortRef.current?.abort();
    abortRef.current = null;
    revokePreview(previewUrlRef);
    setPhase({ name: "idle" });
    setError(message);
    if (window.location.pathname !== "/avatar/new") window.history.replaceState(null, "", "/avatar/new");
  }, []);

  useEffect(() => {
    if (!prepares || busy) return;
    const worker = startShrinkWorker();
    spareWorkerRef.current = worker;
    return () => {
      // Still spare (not taken by a file): the step is left or busy, so it is not needed now.
      if (spareWorkerRef.current !== worker) return;
      spareWorkerRef.current = null;
      worker.dispose();
    };
  }, [prepares, busy]);

  useEffect(() => {
    const [abort, preview] = [abortRef, previewUrlRef];
    return () => {
      abort.current?.abort();
      revokePreview(preview);
    };
  }, []);

  const choose = useCallback(
    (original: File) => {
      setError(undefined);
      const controller = new AbortController();
      abortRef.current = controller;
      const { signal } = controller;
      const prepare = prepares
        ? (file: File, onShown: (shown: Shown) => void) => {
            const worker = spareWorkerRef.current ?? startShrinkWorker();
            spareWorkerRef.current = null; // this file's now: ended after it, or when the step is left
            signal.addEventListener("abort", () => worker.dispose(), { once: true });
            return prepareUpload(file, { shrink: clientResize, worker, onShown });
          }
        : undefined;
      // The early crop step's picture and background state, once the upload is handed to it.
      let showBackground: ((state: BackgroundUpload["state"]) => void) | undefined;
      let uploadId: string | undefined;
      const deps = { api: wizardApi, prepare, send: uploadToS3, measured: markPrepared };
      void uploadPicture(original, settings, deps, {
        preparing: (file) => setPhase({ name: "preparing", file }),
        uploading: (file, { sent, total }) => setPhase({ name: "uploading", file, sent, total }),
        checking: (file) => setPhase({ name: "checking", file }),
        ready: (uploadId) => {
          setPhase({ name: "done" });
          router.push(`/avatar/new/${uploadId}`);
        },
        cropWhileUploading: (shown, checked) => {
          const url = URL.createObjectURL(shown.blob);
          previewUrlRef.current = url;
          const cancel = () => backToStart("Upload cancelled.");
          showBackground = (state) =>
            !signal.aborted &&
            setPhase({ name: "cropping", uploadId, preview: { url, ...shown.size }, displayed: shown.size, background: { state, checked, cancel } });
          showBackground({ stage: "preparing", name: original.name });
          void checked.then((upload) => upload && showBackground?.({ stage: "ready", upload }));
        },
        backgroundStarted: (started, file) => {
          uploadId = started.uploadId;
          // The URL names the upload from now on; a reload before the check finds it not there ("interrupted").
          window.history.replaceState(null, "", `/avatar/new/${started.uploadId}`);
          showBackground?.({ stage: "uploading", name: file.name, sent: 0, total: file.size });
        },
        backgroundProgress: (file, { sent, total }) => showBackground?.({ stage: "uploading", name: file.name, sent, total }),
        backgroundChecking: () => showBackground?.({ stage: "checking" }),
        refused: (message) => backToStart(message),
      }, signal);
    },
    [settings, prepares, clientResize, router, backToStart],
  );

  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const file = Array.from(event.clipboardData?.files ?? [])[0];
      if (file && !busy) {
        event.preventDefault();
        choose(file);
      }
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  }, [busy, choose]);

  return { phase, error, busy, choose, cancel: () => abortRef.current?.abort(), backToStart };
}
