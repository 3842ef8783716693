import { NextResponse } from "next/server";

import { deleteAvatar } from "@/lib/avatars/history";
import { avatarIdSchema } from "@/lib/avatars/schemas";
import { userRoute } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";

export const DELETE = userRoute<{ avatarId: string }>(async ({ params, user }) => {
  const avatarId = parseParam(avatarIdSchema, params.avatarId);
  return NextResponse.json(await deleteAvatar(user.id, avatarId));
});
