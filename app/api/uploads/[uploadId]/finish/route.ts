import { NextResponse } from "next/server";

import { finishUpload } from "@/lib/avatars/finish-upload";
import { finishSchema, uploadIdSchema } from "@/lib/avatars/schemas";
import { parseJsonBody, userRoute } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";

/** The browser says its upload to S3 ended; the server checks the object (and makes the preview unless the browser shows its own). */
export const POST = userRoute<{ uploadId: string }>(async ({ request, params, user }) => {
  const uploadId = parseParam(uploadIdSchema, params.uploadId);
  const options = await parseJsonBody(request, finishSchema);
  return NextResponse.json(await finishUpload(user.id, uploadId, options));
});
