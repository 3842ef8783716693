import { NextResponse } from "next/server";

import { uploadIdSchema } from "@/lib/avatars/schemas";
import { getUploadState } from "@/lib/avatars/upload-state";
import { userRoute } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";

export const GET = userRoute<{ uploadId: string }>(async ({ params, user }) => {
  const uploadId = parseParam(uploadIdSchema, params.uploadId);
  return NextResponse.json(await getUploadState(user.id, uploadId));
});
