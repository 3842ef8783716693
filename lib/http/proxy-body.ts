import { AppError } from "@/lib/errors";

/**
 * The most of a request body Next buffers for proxy.ts (next.config.mjs's
 * experimental.proxyClientMaxBodySize, kept equal to this by lib/http/proxy-body.test.ts). Next
 * copies the body of every request its proxy sees before the proxy runs (10 MB by default); nothing
 * behind the proxy takes more than a sign-in form.
 */
export const PROXY_BODY_LIMIT_BYTES = 64 * 1024;

/** A 413 for a body declared larger than the limit; undefined when the declared length fits or is not given (Next then keeps only the first PROXY_BODY_LIMIT_BYTES). */
export function refuseLargeBody(contentLength: string | null): AppError | undefined {
  if (contentLength === null || !/^\d+$/.test(contentLength.trim())) return undefined;
  if (Number(contentLength) <= PROXY_BODY_LIMIT_BYTES) return undefined;
  return new AppError("body_too_large", `The request body is larger than ${PROXY_BODY_LIMIT_BYTES / 1024} KiB, the most this address takes.`);
}
