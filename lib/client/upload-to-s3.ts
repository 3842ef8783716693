/**
 * Sends a file from the browser straight to S3 with a presigned POST or PUT. XMLHttpRequest rather
 * than fetch because only XHR reports upload progress. S3's XML error codes become sentences.
 */

import type { PresignedUpload } from "@/lib/avatars/api-types";

export type UploadProgress = { sent: number; total: number };

export class UploadError extends Error {
  override name = "UploadError";
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export function s3ErrorCode(xml: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];
}

export function describeS3Rejection(status: number, code: string | undefined, limitText: string, method: "post" | "put" = "post"): string {
  switch (code) {
    case "EntityTooLarge":
      return `Storage refused the file: it is larger than allowed (at most ${limitText}, and no larger than when it was chosen). Please choose it again.`;
    case "EntityTooSmall":
      return "Storage refused the file: it is empty.";
    case "AccessDenied":
    case "SignatureDoesNotMatch": // a presigned PUT signs the size and type: another file breaks the signature
      return "Storage refused the upload: the upload link expired or the file did not match what was announced. Please try again.";
    default:
      if (status === 0 && method === "put") {
        // Some stores (Ceph RGW) refuse a PUT without CORS headers: the page cannot tell that from a lost connection.
        return "The upload did not go through: storage could not be reached, or refused the file. Check your connection and try again.";
      }
      return status === 0
        ? "The upload could not reach storage. Check your connection and try again."
        : `Storage refused the upload (${code ?? `HTTP ${status}`}). Please try again.`;
  }
}

/** A presigned POST's form: every signed field, then the file (S3 requires the file to be the last field). */
export function presignedPostForm(fields: Record<string, string>, file: Blob, fileName?: string): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (fileName === undefined) form.append("file", file);
  else form.append("file", file, fileName);
  return form;
}

/** The request a presigned upload makes: a form POST, or a PUT of the file itself with exactly the signed headers. */
export function uploadRequest(upload: PresignedUpload, file: Blob): { method: "POST" | "PUT"; url: string; headers: Record<string, string>; body: Blob | FormData } {
  return upload.method === "put"
    ? { method: "PUT", url: upload.url, headers: upload.headers, body: file }
    : { method: "POST", url: upload.url, headers: {}, body: presignedPostForm(upload.fields, file) };
}

export function uploadToS3(
  upload: PresignedUpload,
  file: File,
  options: { onProgress: (progress: UploadProgress) => void; signal: AbortSignal; limitText: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = uploadRequest(upload, file);

    const xhr = new XMLHttpRequest();
    xhr.open(request.method, request.url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress({ sent: event.loaded, total: event.total });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress({ sent: file.size, total: file.size });
        resolve();
      } else {
        const code = s3ErrorCode(xhr.responseText);
        reject(new UploadError(describeS3Rejection(xhr.status, code, options.limitText), code ?? `http_${xhr.status}`));
      }
    };
    xhr.onerror = () => reject(new UploadError(describeS3Rejection(0, undefined, options.limitText, upload.method), "network"));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    if (options.signal.aborted) return xhr.abort();
    options.signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(request.body);
  });
}
