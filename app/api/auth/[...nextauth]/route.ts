import NextAuth from "next-auth";

import { getAuthOptions } from "@/lib/auth/options";
import { rememberDisplayName } from "@/lib/avatars/profile";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built on the first request, not at import, so `next build` needs no runtime config.
// Each sign-in stores the display name's initials for the default avatar.
async function handler(request: Request, context: Context) {
  return NextAuth(request as never, context as never, getAuthOptions(rememberDisplayName)) as Promise<Response>;
}

export { handler as GET, handler as POST };
