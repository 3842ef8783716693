import { NextResponse } from "next/server";

import { uploadIdSchema } from "@/lib/avatars/schemas";
import { finishUpload } from "@/lib/avatars/uploads";
import { userRoute } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";

/** The browser says its upload to S3 ended; the server checks the object and makes the preview. */
export const POST = userRoute<{ uploadId: string }>(async ({ params, user }) => {
  const uploadId = parseParam(uploadIdSchema, params.uploadId);
  return NextResponse.json(await finishUpload(user.id, uploadId));
});
