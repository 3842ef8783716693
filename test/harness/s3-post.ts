/** The browser's part of step 1 from a test: the file straight to S3, by a presigned POST or PUT. */
import type { PresignedPost, PresignedUpload } from "@/lib/avatars/api-types";
import { presignedPostForm } from "@/lib/client/upload-to-s3";

type PostTarget = Pick<PresignedPost, "url" | "fields">;
type SendOptions = { change?: Record<string, string>; headers?: Record<string, string>; url?: string };

/**
 * Posts `bytes` as the file of a presigned POST, the way the browser's form does
 * (lib/client/upload-to-s3.ts builds the same form). `change` replaces signed fields (to test that
 * S3 refuses them); `headers` are added to the request (e.g. an Origin for CORS).
 */
export function postToS3(post: PostTarget, bytes: Uint8Array, contentType: string, options: SendOptions = {}): Promise<Response> {
  const file = new Blob([new Uint8Array(bytes)], { type: options.change?.["Content-Type"] ?? contentType });
  const form = presignedPostForm({ ...post.fields, ...options.change }, file, "upload");
  return fetch(options.url ?? post.url, { method: "POST", body: form, headers: options.headers });
}

/**
 * Sends `bytes` the way the browser does with whichever method the app signed. For a PUT,
 * `change` replaces signed headers (e.g. another Content-Type) and `headers` adds others.
 */
export function sendToS3(upload: PresignedUpload, bytes: Uint8Array, contentType: string, options: SendOptions = {}): Promise<Response> {
  if (upload.method === "post") return postToS3(upload, bytes, contentType, options);
  return fetch(options.url ?? upload.url, {
    method: "PUT",
    body: new Uint8Array(bytes),
    headers: { ...upload.headers, ...options.change, ...options.headers },
  });
}
