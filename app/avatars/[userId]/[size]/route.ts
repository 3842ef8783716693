import { NextResponse } from "next/server";

import { stableAvatarQuerySchema, userIdSchema } from "@/lib/avatars/schemas";
import { parseAvatarSize } from "@/lib/avatars/sizes";
import { stableAvatar } from "@/lib/avatars/stable-avatar";
import { issuedUserId } from "@/lib/auth/issued-user-id";
import { currentUser } from "@/lib/auth/session";
import { hasSessionCookie } from "@/lib/auth/session-token";
import { AppError } from "@/lib/errors";
import { ifNoneMatchHits } from "@/lib/http/etag";
import { route } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";

/**
 * How long the answers may be kept. The redirect is revalidated every time (its Location is a
 * presigned URL that expires). The default picture is kept a minute, then revalidated with its
 * ETag: a user who saves an avatar shows it everywhere within that minute.
 */
const REDIRECT_CACHE = "no-cache";
const DEFAULT_CACHE = "public, max-age=60, must-revalidate";

/**
 * A stable, public address of a user's avatar at any size from 16 to 512: a redirect to the
 * current rendition, or the generated default when the user has none (`?d=404`: a 404 instead).
 * A well-formed id whose tag this deployment did not compute is 404 whatever the query says.
 */
export const GET = route<{ userId: string; size: string }>(async ({ request, params }) => {
  const userId = parseParam(userIdSchema, params.userId);
  const size = parseAvatarSize(params.size);
  if (size === undefined) throw new AppError("bad_request", "size must be a whole number from 16 to 512, written without sign, leading zero or spaces.");
  const query = parseParam(stableAvatarQuerySchema, Object.fromEntries(request.nextUrl.searchParams), "bad_request");
  const search = request.nextUrl.searchParams;
  if (new Set(search.keys()).size !== [...search.keys()].length || (query.s !== undefined && Number(query.s) !== size)) {
    throw new AppError("bad_request", "The query may hold d=404 and s (the same size as the path), each at most once, and nothing else.");
  }
  // An id this deployment never issued names nobody: answered before any session, S3 call or drawing.
  if (!issuedUserId(userId)) throw new AppError("avatar_not_found", "This user has no avatar.");
  const ifNoneMatch = request.headers.get("if-none-match");
  // The owner reads their own writes: after a save on another instance, not the remembered lookup.
  // Only a request with a session cookie is asked whose it is: an anonymous flood costs nothing more.
  const fresh = hasSessionCookie(request.cookies.getAll().map((cookie) => cookie.name)) && (await currentUser())?.id === userId;
  const answer = await stableAvatar(userId, size, { fallback: query.d === "404" ? "none" : "default", clientHas: (etag) => ifNoneMatchHits(ifNoneMatch, etag), fresh });
  if (answer.kind === "none") throw new AppError("avatar_not_found", "This user has no avatar.");
  const cacheControl = answer.kind === "redirect" ? REDIRECT_CACHE : DEFAULT_CACHE;
  const headers: Record<string, string> = { etag: answer.etag, "cache-control": cacheControl };
  if (answer.notModified) return new NextResponse(null, { status: 304, headers });
  if (answer.kind === "redirect") return new NextResponse(null, { status: 302, headers: { ...headers, location: answer.location } });
  return new NextResponse(new Uint8Array(answer.body), { status: 200, headers: { ...headers, "content-type": "image/webp", "x-avatar": "default" } });
});
