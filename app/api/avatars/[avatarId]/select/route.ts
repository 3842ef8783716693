import { NextResponse } from "next/server";

import { selectAvatar } from "@/lib/avatars/history";
import { avatarIdSchema } from "@/lib/avatars/schemas";
import { userRoute } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";

export const POST = userRoute<{ avatarId: string }>(async ({ params, user }) => {
  const avatarId = parseParam(avatarIdSchema, params.avatarId);
  return NextResponse.json(await selectAvatar(user.id, avatarId));
});
