import { NextResponse } from "next/server";

import { listAvatars } from "@/lib/avatars/history";
import { listQuerySchema } from "@/lib/avatars/schemas";
import { userRoute } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";

/** The caller's saved avatars, newest first, a page at a time. */
export const GET = userRoute(async ({ request, user }) => {
  const query = parseParam(listQuerySchema, Object.fromEntries(request.nextUrl.searchParams), "bad_request");
  return NextResponse.json(await listAvatars(user.id, query));
});
