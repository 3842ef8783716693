import "server-only";

import { describeOverLimit } from "@/lib/bytes";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { admitUploadStart } from "@/lib/limits/upload-quota";
import { newUploadId, originalKey } from "@/lib/storage/keys";
import { presignUpload } from "@/lib/storage/objects";

import type { StartedUpload } from "./api-types";
import type { StartUploadInput } from "./schemas";

/**
 * Step 1 of the wizard: a presigned POST or PUT (S3_UPLOAD_METHOD) for one new upload under the
 * caller's own prefix, for exactly the announced size and type. The browser sends the file
 * straight to S3; S3 holds every byte and every fact, so any instance can run any later step.
 */
export async function startUpload(userId: string, input: StartUploadInput): Promise<StartedUpload> {
  const maxBytes = getEnv().UPLOAD_MAX_BYTES;
  if (input.size > maxBytes) {
    throw new AppError("file_too_large", `The file ${describeOverLimit(input.size, maxBytes)}`);
  }
  const uploadId = newUploadId();
  await admitUploadStart(userId, uploadId);
  const upload = await presignUpload(getEnv().S3_UPLOAD_METHOD, originalKey(userId, uploadId), {
    contentType: input.contentType,
    size: input.size,
    expiresIn: getEnv().UPLOAD_URL_TTL_SECONDS,
  });
  return { uploadId, upload, maxBytes };
}
