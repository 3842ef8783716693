import { after, NextResponse } from "next/server";

import { saveAvatar } from "@/lib/avatars/save";
import { saveSchema, uploadIdSchema } from "@/lib/avatars/schemas";
import { parseJsonBody, userRoute } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";

/** Step 3: make the crop the current avatar. Safe to retry. */
export const POST = userRoute<{ uploadId: string }>(async ({ request, params, user }) => {
  const uploadId = parseParam(uploadIdSchema, params.uploadId);
  const { cropId } = await parseJsonBody(request, saveSchema, "invalid_id");
  // The upload's temporary objects are deleted after the answer: the user does not wait for it.
  return NextResponse.json(await saveAvatar(user.id, uploadId, cropId, { runAfterResponse: after }));
});
