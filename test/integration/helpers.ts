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

export { postToS3 } from "@/test/harness/s3-post";
