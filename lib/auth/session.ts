import "server-only";

import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";

import { AppError } from "@/lib/errors";
import { isUserId } from "@/lib/storage/keys";

import { getAuthOptions } from "./options";
import { isSessionEnded } from "./sessions-ended";

export type SessionUser = { id: string; name: string; email?: string; sessionId?: string };

/** The signed-in user, or null: no session, a provider switched off, or a session "Delete my data" ended. */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user?.id || !isUserId(user.id)) return null;
  const signedIn = session?.signedIn ?? {};
  if (await isSessionEnded(user.id, signedIn)) return null;
  return { id: user.id, name: user.name ?? user.email ?? "you", email: user.email ?? undefined, sessionId: signedIn.sid };
}

/** For route handlers: no session is a 401 JSON answer. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AppError("unauthorized");
  return user;
}

/** For pages: no session sends the browser to sign in and back. */
export async function requireUserPage(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
