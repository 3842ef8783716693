import { NextResponse } from "next/server";

import { endOtherSessions } from "@/lib/auth/sessions-ended";
import { deleteMyData } from "@/lib/avatars/delete-my-data";
import { userRoute } from "@/lib/http/handler";

/**
 * "Delete my data": everything the caller has in S3. DELETE, because it is idempotent (a repeat
 * after a crash or a lost answer finishes the job and answers 200); its own address, not
 * DELETE /api/avatars, because it removes more than the avatars collection (uploads, quota keys,
 * the user's other sessions)
 * and because the list's URL should not be one verb away from wiping it. No body, no id: the
 * session names the only user it can touch, and userRoute refuses other origins.
 */
export const DELETE = userRoute(async ({ user }) => {
  // First, so no other session can act while the data goes; this one stays signed in.
  await endOtherSessions(user.id, user.sessionId);
  return NextResponse.json(await deleteMyData(user.id));
});
