/** The browser's part of step 1 from a test: a multipart POST straight to S3 with the presigned fields. */
import type { PresignedPost } from "@/lib/avatars/api-types";
import { presignedPostForm } from "@/lib/client/upload-to-s3";

type PostTarget = Pick<PresignedPost, "url" | "fields">;

/**
 * Posts `bytes` as the file of a presigned POST, the way the browser's form does
 * (lib/client/upload-to-s3.ts builds the same form). `change` replaces signed fields (to test that
 * S3 refuses them); `headers` are added to the request (e.g. an Origin for CORS).
 */
export function postToS3(
  post: PostTarget,
  bytes: Uint8Array,
  contentType: string,
  options: { change?: Record<string, string>; headers?: Record<string, string>; url?: string } = {},
): Promise<Response> {
  const file = new Blob([new Uint8Array(bytes)], { type: options.change?.["Content-Type"] ?? contentType });
  const form = presignedPostForm({ ...post.fields, ...options.change }, file, "upload");
  return fetch(options.url ?? post.url, { method: "POST", body: form, headers: options.headers });
}
