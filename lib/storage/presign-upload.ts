import "server-only";

import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

import { postPolicyConditions } from "./post-policy";
import { PUT_SIGNED_HEADERS, putUploadHeaders, type PresignedUpload, type UploadMethod } from "./upload-target";

/**
 * Signs one browser upload for one server-chosen key, exact size and type, with either method.
 * Takes the client so that the app (objects.ts), `npm run s3:check` and the tests sign alike.
 */
export type UploadSigning = { contentType: string; size: number; expiresIn: number };

export async function presignUploadWith(client: S3Client, bucket: string, method: UploadMethod, key: string, signing: UploadSigning): Promise<PresignedUpload> {
  const expiresAt = new Date(Date.now() + signing.expiresIn * 1000).toISOString();
  if (method === "put") {
    // The client must have requestChecksumCalculation "WHEN_REQUIRED" (s3-client.ts): otherwise the
    // SDK signs an empty body's CRC32 into the URL and R2, MinIO and SeaweedFS refuse the real file.
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: signing.contentType, ContentLength: signing.size }),
      { expiresIn: signing.expiresIn, signableHeaders: new Set(PUT_SIGNED_HEADERS) },
    );
    return { method: "put", url, headers: putUploadHeaders(signing.contentType), expiresAt };
  }
  const post = await createPresignedPost(client, {
    Bucket: bucket,
    Key: key,
    // The browser knows the file's exact size; S3 then refuses anything larger than announced.
    Conditions: postPolicyConditions({ key, contentType: signing.contentType, maxBytes: signing.size }),
    Fields: { "Content-Type": signing.contentType },
    Expires: signing.expiresIn,
  });
  return { method: "post", url: post.url, fields: post.fields, expiresAt };
}
