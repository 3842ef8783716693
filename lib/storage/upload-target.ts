import type { PresignedPost } from "./post-policy";

/**
 * Where and how the browser sends one file to S3: a form POST (S3_UPLOAD_METHOD=post) or a
 * presigned PUT for stores that have no browser POST (S3_UPLOAD_METHOD=put: Cloudflare R2,
 * Backblaze B2). Pure, so the browser's side can name it without importing the S3 adapter.
 */

export type UploadMethod = "post" | "put";

/**
 * A presigned PUT URL for one key. The browser sends the file as the body with exactly `headers`;
 * Content-Length is signed too, but browsers set it from the body and refuse to let scripts set it.
 */
export type PresignedPut = { method: "put"; url: string; headers: Record<string, string>; expiresAt: string };

export type PresignedUpload = PresignedPost | PresignedPut;

/** The request headers a presigned PUT signs (SigV4 names them lower-case): the store then refuses another size or type. */
export const PUT_SIGNED_HEADERS = ["content-length", "content-type"] as const;

/** The headers the browser sends with a presigned PUT (every signed one it is allowed to set). */
export function putUploadHeaders(contentType: string): Record<string, string> {
  return { "Content-Type": contentType };
}
