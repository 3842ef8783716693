"use client";

import { useEffect, useRef, useState } from "react";

import {
  CAMERA_CONSTRAINTS,
  CAPTURE_JPEG_QUALITY,
  cameraProblemMessage,
  cameraSupport,
  canRetry,
  classifyCameraError,
  type CameraProblem,
} from "@/lib/client/camera";

type State =
  | { name: "closed" }
  | { name: "starting" }
  | { name: "live" }
  | { name: "captured"; file: File; url: string }
  | { name: "error"; problem: CameraProblem };

function stopTracks(stream: MediaStream | null) {
  stream?.getTracks().forEach((track) => track.stop());
}

/**
 * "Take a photo": a modal <dialog> (the browser traps focus in it and closes it on Escape) with the
 * camera's live picture, Capture, Retake, "Use this photo" and Cancel. The photo is handed to
 * onCapture as a File, so it takes the same upload path as a chosen one.
 *
 * Where getUserMedia cannot be used (an insecure origin, an old browser) a phone still has a camera:
 * there the button opens a hidden file input with capture="user", which goes straight to the camera.
 * The "Choose a file" input has no capture attribute on purpose: with it, phones skip the gallery,
 * and their file pickers already offer the camera beside it.
 */
export function CameraCapture({ disabled, onCapture }: { disabled: boolean; onCapture: (file: File) => void }) {
  const [state, setState] = useState<State>({ name: "closed" });
  const dialogRef = useRef<HTMLDialogElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const fallbackRef = useRef<HTMLInputElement>(null);
  const captureRef = useRef<HTMLButtonElement>(null);
  const acceptRef = useRef<HTMLButtonElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  // Bumped on every open and close, so a getUserMedia that resolves after Cancel is thrown away.
  const sessionRef = useRef(0);

  const stopStream = () => {
    stopTracks(streamRef.current);
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
  };

  useEffect(() => {
    const stream = streamRef;
    return () => stopTracks(stream.current); // leaving the page turns the camera off
  }, []);

  // Keep keyboard focus on the next thing to do as the panel changes.
  useEffect(() => {
    if (state.name === "live") captureRef.current?.focus();
    if (state.name === "captured") acceptRef.current?.focus();
  }, [state.name]);

  // The object URL of a captured photo lives as long as that state.
  const capturedUrl = state.name === "captured" ? state.url : undefined;
  useEffect(() => (capturedUrl ? () => URL.revokeObjectURL(capturedUrl) : undefined), [capturedUrl]);

  async function startCamera() {
    const session = ++sessionRef.current;
    stopStream();
    setState({ name: "starting" });
    try {
      const stream = await navigator.mediaDevices.getUserMedia(CAMERA_CONSTRAINTS);
      if (session !== sessionRef.current) {
        stopTracks(stream);
        return;
      }
      streamRef.current = stream;
      if (videoRef.current) videoRef.current.srcObject = stream; // autoplay; onPlaying makes it "live"
    } catch (caught) {
      if (session === sessionRef.current) setState({ name: "error", problem: classifyCameraError(caught) });
    }
  }

  function open() {
    const support = cameraSupport({
      isSecureContext: window.isSecureContext,
      hasGetUserMedia: typeof navigator.mediaDevices?.getUserMedia === "function",
    });
    if (support !== "ok" && window.matchMedia("(pointer: coarse)").matches) {
      fallbackRef.current?.click();
      return;
    }
    dialogRef.current?.showModal();
    if (support === "ok") void startCamera();
    else setState({ name: "error", problem: support });
  }

  function capture() {
    const video = videoRef.current;
    if (!video || state.name !== "live" || video.videoWidth === 0) return;
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext("2d");
    if (!context) return;
    // The preview is mirrored, as people expect of a front camera; the photo keeps what they saw.
    context.translate(canvas.width, 0);
    context.scale(-1, 1);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const session = sessionRef.current;
    canvas.toBlob(
      (blob) => {
        if (session !== sessionRef.current) return; // closed while encoding
        if (!blob) {
          setState({ name: "error", problem: "failed" });
          return;
        }
        const file = new File([blob], "photo.jpg", { type: "image/jpeg" });
        setState({ name: "captured", file, url: URL.createObjectURL(blob) });
      },
      "image/jpeg",
      CAPTURE_JPEG_QUALITY,
    );
  }

  function retake() {
    setState({ name: "live" }); // the stream kept running under the still picture
  }

  function acceptPhoto() {
    if (state.name !== "captured") return;
    const { file } = state;
    closePanel();
    onCapture(file);
  }

  // The camera goes off in the same task as the click or the Escape key: the dialog's close event
  // comes a task later, and until then the camera light would stay on.
  function turnCameraOff() {
    sessionRef.current++;
    stopStream();
  }

  function closePanel() {
    turnCameraOff();
    dialogRef.current?.close();
  }

  // Every way out (Cancel, Escape, "Use this photo") ends here.
  function onClose() {
    turnCameraOff();
    setState({ name: "closed" });
    openerRef.current?.focus();
  }

  const showVideo = state.name === "starting" || state.name === "live";

  return (
    <>
      <button ref={openerRef} type="button" className="button secondary" disabled={disabled} onClick={open}>
        Take a photo
      </button>
      <input
        ref={fallbackRef}
        type="file"
        accept="image/*"
        capture="user"
        hidden
        aria-label="Take a photo with the camera"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = "";
          if (file) onCapture(file);
        }}
      />
      <dialog ref={dialogRef} className="camera-dialog" aria-labelledby="camera-heading" onCancel={turnCameraOff} onClose={onClose}>
        <h2 id="camera-heading">Take a photo</h2>
        <div className="camera-frame">
          <video
            ref={videoRef}
            className="camera-video"
            muted
            playsInline
            autoPlay
            hidden={!showVideo}
            aria-label="Live picture from the camera"
            onPlaying={() => setState((current) => (current.name === "starting" ? { name: "live" } : current))}
          />
          {state.name === "captured" && (
            // eslint-disable-next-line @next/next/no-img-element -- a local blob: URL, not an optimisable image
            <img src={state.url} alt="The photo you took" className="camera-photo" data-testid="camera-photo" />
          )}
        </div>
        {state.name === "starting" && (
          <p role="status" className="hint">
            Starting the camera… If the browser asks, allow the camera.
          </p>
        )}
        {state.name === "error" && (
          <p role="alert" className="error" data-testid="camera-error">
            {cameraProblemMessage(state.problem)}
          </p>
        )}
        <div className="actions">
          {showVideo && (
            <button ref={captureRef} type="button" className="button" onClick={capture} disabled={state.name !== "live"}>
              Capture
            </button>
          )}
          {state.name === "captured" && (
            <>
              <button ref={acceptRef} type="button" className="button" onClick={acceptPhoto}>
                Use this photo
              </button>
              <button type="button" className="button secondary" onClick={retake}>
                Retake
              </button>
            </>
          )}
          {state.name === "error" && canRetry(state.problem) && (
            <button type="button" className="button secondary" onClick={() => void startCamera()}>
              Try again
            </button>
          )}
          <button type="button" className="button secondary" onClick={closePanel}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}
