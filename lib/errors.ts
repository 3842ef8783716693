/** One error type for everything the app reports to a user; its code decides the HTTP status. */

const statusByCode = {
  bad_request: 400,
  invalid_id: 400,
  invalid_crop: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  upload_not_found: 404,
  crop_not_found: 404,
  avatar_not_found: 404,
  upload_incomplete: 409,
  // 409, not 429: waiting never helps (the upload keeps its crops until it is saved or expires);
  // the user has to do something else, which the message says.
  crop_limit_reached: 409,
  // 409 for the same reason: only deleting saved avatars makes room.
  avatar_limit_reached: 409,
  file_too_large: 413,
  body_too_large: 413,
  unsupported_type: 415,
  not_an_image: 422,
  image_too_large: 422,
  corrupt_image: 422,
  // 422, not 503: the clock counts libvips's work on this picture, not waiting for a thread, so the
  // same file takes as long again; the user has to send another one, which the message says.
  image_too_slow: 422,
  rate_limited: 429,
  internal: 500,
  storage_unavailable: 503,
  // 503 + Retry-After: this instance's share for anonymous work is full; it clears in a moment.
  server_busy: 503,
} as const;

export type ErrorCode = keyof typeof statusByCode;

const defaultMessages: Record<ErrorCode, string> = {
  bad_request: "The request was not understood.",
  invalid_id: "That id is not valid.",
  invalid_crop: "The crop is not valid.",
  unauthorized: "Please sign in to continue.",
  forbidden: "This request is not allowed.",
  not_found: "Not found.",
  upload_not_found: "That upload was not found. It may have expired; please upload the picture again.",
  crop_not_found: "That crop was not found. Please crop the picture again.",
  avatar_not_found: "That avatar was not found.",
  upload_incomplete: "The upload has not finished yet.",
  crop_limit_reached: "This picture has been cropped as many times as one upload allows. Go back to save one of those crops, or upload the picture again to keep cropping.",
  avatar_limit_reached: "You have saved as many avatars as one account keeps. Delete some you no longer use in your history, then save this one again.",
  file_too_large: "The file is too large.",
  body_too_large: "The request body is too large.",
  unsupported_type: "That type of file is not supported. Please choose a JPEG, PNG, WebP, GIF or AVIF picture.",
  not_an_image: "That file is not a picture we can read. Please choose a JPEG, PNG, WebP, GIF or AVIF picture.",
  image_too_large: "The picture has too many pixels.",
  corrupt_image: "The picture is damaged or incomplete. Please choose another file.",
  image_too_slow: "This picture takes too long to read. Please save it as a JPEG, or smaller, and upload that.",
  // 429 + Retry-After: waiting helps. Per instance, a user's share of the image jobs is full, or the
  // instance's (IMAGE_JOBS_*); across instances, the hourly uploads (UPLOADS_PER_HOUR).
  rate_limited: "Too many requests. Please wait a moment and try again.",
  internal: "Something went wrong on our side. Please try again.",
  storage_unavailable: "Storage is not reachable right now. Please try again in a moment.",
  server_busy: "The server is busy. Please try again in a moment.",
};

/** Which limit a 429 hit, for the metrics (lib/metrics): the code alone does not say. */
export type LimitName = "uploads_per_hour" | "image_slots_full" | "image_jobs_per_user";

export type ErrorBody = { error: { code: ErrorCode; message: string; requestId?: string } };

export class AppError extends Error {
  override name = "AppError";
  readonly code: ErrorCode;
  readonly status: number;
  /** For 429 and 503: when the client may try again (sent as Retry-After). */
  readonly retryAfterSeconds?: number;
  /** For 429: the limit that refused the request. Not sent to the client. */
  readonly limit?: LimitName;
  /** For the log only (which field a refused body got wrong): never sent to the client. */
  readonly detail?: string;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; retryAfterSeconds?: number; limit?: LimitName; detail?: string }) {
    super(message ?? defaultMessages[code], options);
    this.code = code;
    this.status = statusByCode[code];
    this.retryAfterSeconds = options?.retryAfterSeconds ?? (code === "storage_unavailable" ? 5 : undefined);
    this.limit = options?.limit;
    this.detail = options?.detail;
  }

  toBody(requestId?: string): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(requestId ? { requestId } : {}) } };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export function statusOf(code: ErrorCode): number {
  return statusByCode[code];
}
