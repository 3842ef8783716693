import { applyBucketSetup, bucketTargetFromEnv } from "@/tools/bucket/bucket-setup";
import { userIdFor } from "@/lib/auth/user-id";
import { getEnv } from "@/lib/env";
import { sendToS3 } from "@/test/harness/s3-post";

export async function ensureBucket(): Promise<void> {
  await applyBucketSetup(bucketTargetFromEnv());
}

let counter = 0;
export function newTestUser(): string {
  counter += 1;
  return userIdFor(getEnv().AUTH_USER_ID_KEY, { provider: "test", issuer: "urn:avatar-relay:test", subject: `${process.pid}-${Date.now()}-${counter}` });
}

export { sendToS3 };

/**
 * The use cases and these helpers, imported when called: a test file that sets its own limits in
 * process.env first gets modules that read them (each test file has its own module registry).
 */
export async function loadUseCases() {
  return {
    ...(await import("@/lib/avatars/start-upload")),
    ...(await import("@/lib/avatars/finish-upload")),
    ...(await import("@/lib/avatars/crop")),
    ...(await import("@/lib/avatars/save")),
    ...(await import("@/lib/limits/image-jobs")),
    ensureBucket,
    newTestUser,
    sendToS3,
  };
}
