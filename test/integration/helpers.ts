import { applyBucketSetup, bucketTargetFromEnv } from "@/lib/storage/bucket-setup";
import { userIdFor } from "@/lib/auth/user-id";
import { getEnv } from "@/lib/env";

export async function ensureBucket(): Promise<void> {
  await applyBucketSetup(bucketTargetFromEnv());
}

let counter = 0;
export function newTestUser(): string {
  counter += 1;
  return userIdFor(getEnv().AUTH_USER_ID_KEY, "test", `${process.pid}-${Date.now()}-${counter}`);
}

/** The browser's part of step 1: a multipart POST straight to S3 with the presigned fields. */
export async function postToS3(post: { url: string; fields: Record<string, string> }, bytes: Buffer, contentType: string): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: contentType }), "upload");
  return fetch(post.url, { method: "POST", body: form });
}
