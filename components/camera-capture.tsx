"use client";

import { useCamera } from "@/components/use-camera";
import { cameraProblemMessage, canRetry } from "@/lib/client/camera";

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
  const camera = useCamera(onCapture);
  const { state, showVideo } = camera;
  const { dialogRef, videoRef, openerRef, fallbackRef } = camera.refs;
  const { open, turnCameraOff, onClose, onPlaying } = camera.actions;

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
            onPlaying={onPlaying}
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
        <CameraActions camera={camera} />
      </dialog>
    </>
  );
}

/** What the panel offers next: Capture while the camera runs, then "Use this photo" or Retake, "Try again" after a problem; Cancel always. */
function CameraActions({ camera }: { camera: ReturnType<typeof useCamera> }) {
  const { state, showVideo } = camera;
  const { captureRef, acceptRef } = camera.refs;
  const { startCamera, capture, retake, acceptPhoto, closePanel } = camera.actions;
  return (
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
  );
}
