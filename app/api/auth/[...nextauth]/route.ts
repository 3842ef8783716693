import NextAuth from "next-auth";

import { getAuthOptions } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built on the first request, not at import, so `next build` needs no runtime config.
async function handler(request: Request, context: Context) {
  return NextAuth(request as never, context as never, getAuthOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
