import { NextResponse } from "next/server";

import { uploadIdSchema } from "@/lib/avatars/schemas";
import { checkedPreviewUrl } from "@/lib/avatars/upload-state";
import { userRoute } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";

/** The checked upload's preview: made now if nothing needed it before, then a redirect to it in S3. */
export const GET = userRoute<{ uploadId: string }>(async ({ params, user }) => {
  const uploadId = parseParam(uploadIdSchema, params.uploadId);
  const response = NextResponse.redirect(await checkedPreviewUrl(user.id, uploadId), 302);
  response.headers.set("cache-control", "private, no-store");
  return response;
});
