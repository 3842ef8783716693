import { NextResponse } from "next/server";

import { finishUpload } from "@/lib/avatars/finish-upload";
import { uploadIdSchema } from "@/lib/avatars/schemas";
import { userRoute } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";

/** The browser says its upload to S3 ended; the server checks the object and makes the preview. */
export const POST = userRoute<{ uploadId: string }>(async ({ params, user }) => {
  const uploadId = parseParam(uploadIdSchema, params.uploadId);
  return NextResponse.json(await finishUpload(user.id, uploadId));
});
