import { NextResponse } from "next/server";

import { startUploadSchema } from "@/lib/avatars/schemas";
import { startUpload } from "@/lib/avatars/start-upload";
import { parseJsonBody, userRoute } from "@/lib/http/handler";

/** Step 1: a presigned POST for one new upload under the caller's own prefix. */
export const POST = userRoute(async ({ request, user }) => {
  const input = await parseJsonBody(request, startUploadSchema);
  return NextResponse.json(await startUpload(user.id, input), { status: 201 });
});
