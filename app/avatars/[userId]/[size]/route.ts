import { NextResponse } from "next/server";
import { z } from "zod";

import { currentRenditionUrl } from "@/lib/avatars/current-avatar";
import { userIdSchema } from "@/lib/avatars/schemas";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/handler";
import { parseParam } from "@/lib/http/params";
import { RENDITION_SIZES, isRenditionSize } from "@/lib/storage/keys";

const sizeSchema = z.coerce.number().int().refine(isRenditionSize, `size must be one of ${RENDITION_SIZES.join(", ")}`);

/**
 * A stable, public address of a user's avatar at one size. It redirects to the current rendition,
 * whose own URL changes with every new avatar; the redirect itself is revalidated every time.
 */
export const GET = route<{ userId: string; size: string }>(async ({ params }) => {
  const userId = parseParam(userIdSchema, params.userId);
  const size = parseParam(sizeSchema, params.size, "bad_request");
  if (!isRenditionSize(size)) throw new AppError("bad_request");
  const url = await currentRenditionUrl(userId, size);
  if (!url) throw new AppError("avatar_not_found", "This user has no avatar.");
  return new NextResponse(null, { status: 302, headers: { location: url, "cache-control": "no-cache" } });
});
