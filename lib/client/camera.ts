/**
 * What the "Take a photo" panel needs to decide before and after asking for the camera (pure, so
 * the browser and the unit tests share it): whether getUserMedia can be used at all, which of the
 * DOMException names browsers throw means what, and the message the user reads for each.
 */

export type CameraProblem = "denied" | "no-camera" | "insecure" | "unsupported" | "busy" | "failed";

/** The front camera where there is one; `ideal`, not `exact`, so a laptop's only camera is used too. */
export const CAMERA_CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  video: { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 960 } },
};

/** Quality of the captured JPEG: close to the camera's frame, a few hundred kB at 1280×960. */
export const CAPTURE_JPEG_QUALITY = 0.92;

/**
 * getUserMedia exists only in a secure context (HTTPS, or localhost/127.0.0.1), so an insecure origin
 * is told apart from a browser that has no camera API at all.
 */
export function cameraSupport(env: { isSecureContext: boolean; hasGetUserMedia: boolean }): "ok" | "insecure" | "unsupported" {
  if (!env.isSecureContext) return "insecure";
  return env.hasGetUserMedia ? "ok" : "unsupported";
}

/** Maps the error getUserMedia rejected with (a DOMException, or an older browser's own name) to a problem. */
export function classifyCameraError(error: unknown): CameraProblem {
  const name = typeof error === "object" && error !== null && "name" in error ? String((error as { name: unknown }).name) : "";
  switch (name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
    case "SecurityError": // a Permissions-Policy or the browser itself refuses the camera for this page
      return "denied";
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
    case "ConstraintNotSatisfiedError":
      return "no-camera";
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return "busy";
    default:
      return "failed";
  }
}

const CHOOSE_INSTEAD = "or cancel and choose a file instead.";

export function cameraProblemMessage(problem: CameraProblem): string {
  switch (problem) {
    case "denied":
      return `Camera permission was denied. To take a photo, allow the camera for this site (the camera icon in the address bar, or the browser's site settings) and try again, ${CHOOSE_INSTEAD}`;
    case "no-camera":
      return `No camera was found. Connect a camera and try again, ${CHOOSE_INSTEAD}`;
    case "insecure":
      return `The camera can only be used on a secure connection. Open this site over HTTPS to take a photo, ${CHOOSE_INSTEAD}`;
    case "unsupported":
      return `This browser cannot use a camera from a web page. Cancel and choose a file instead.`;
    case "busy":
      return `The camera could not be started: another application may be using it. Close that application and try again, ${CHOOSE_INSTEAD}`;
    case "failed":
      return `The camera could not be started. Try again, ${CHOOSE_INSTEAD}`;
  }
}

/** Whether trying again can help without leaving the page (a missing camera can be plugged in). */
export function canRetry(problem: CameraProblem): boolean {
  return problem !== "insecure" && problem !== "unsupported";
}
