import type { z } from "zod";

import { AppError, type ErrorCode } from "@/lib/errors";

/** Validates a path or query parameter; a value of the wrong shape is a 400 before any S3 call. */
export function parseParam<T>(schema: z.ZodType<T>, value: unknown, code: ErrorCode = "invalid_id"): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError(code);
  return result.data;
}
