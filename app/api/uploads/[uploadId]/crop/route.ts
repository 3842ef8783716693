import { NextResponse } from "next/server";

import { cropUpload } from "@/lib/avatars/crop";
import { cropSchema, uploadIdSchema } from "@/lib/avatars/schemas";
import { parseJsonBody, userRoute } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";

/** Step 2: crop on whichever instance gets the request; the original comes from S3. */
export const POST = userRoute<{ uploadId: string }>(async ({ request, params, user }) => {
  const uploadId = parseParam(uploadIdSchema, params.uploadId);
  const crop = await parseJsonBody(request, cropSchema, "invalid_crop");
  return NextResponse.json(await cropUpload(user.id, uploadId, crop), { status: 201 });
});
