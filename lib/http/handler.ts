import "server-only";

import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";

import { requireUser, type SessionUser } from "@/lib/auth/session";
import { AppError, isAppError, type ErrorCode } from "@/lib/errors";
import { MAX_JSON_BYTES } from "@/lib/limits/fixed";
import { errorFields, instanceId, log } from "@/lib/log";
import { HSTS } from "@/lib/security/headers";
import { countRateLimited, observeRequest } from "@/lib/metrics/registry";

import { appOrigin, isSecureOrigin } from "./app-origin";
import { requestIdFrom } from "./request-id";
import { routePattern } from "./route-pattern";

/**
 * The one wrapper every route handler uses: request id, same-origin check for state changes,
 * session check, one JSON error shape, and the request metrics. Handlers stay a few lines: parse,
 * call lib, answer.
 */

type RouteParams = Record<string, string | string[]>;
type RouteContext<P> = { params: Promise<P> };

type HandlerInput<P> = { request: NextRequest; params: P; requestId: string };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site requests that change state are refused. Browsers send Origin on every POST/DELETE;
 * it must be the app's origin (lib/http/app-origin.ts, the one next-auth signs users in on).
 */
function assertSameOrigin(request: NextRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") {
    throw new AppError("forbidden", "Cross-site requests are not allowed.");
  }
  const origin = request.headers.get("origin");
  if (!origin) return; // not a browser (curl, server-to-server): the session cookie is still required
  if (!URL.canParse(origin) || new URL(origin).origin !== appOrigin(request.headers)) {
    throw new AppError("forbidden", "Cross-site requests are not allowed.");
  }
}

export function errorResponse(error: unknown, requestId: string, context: Record<string, unknown> = {}): NextResponse {
  const appError = isAppError(error) ? error : new AppError("internal", undefined, { cause: error });
  if (appError.status >= 500) log("error", "request failed", { requestId, code: appError.code, ...context, ...errorFields(error) });
  else log("info", "request refused", { requestId, code: appError.code, ...(appError.detail ? { detail: appError.detail } : {}), ...context });
  if (appError.status === 429) countRateLimited(appError.limit ?? appError.code);
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (appError.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(appError.retryAfterSeconds)));
  return NextResponse.json(appError.toBody(requestId), { status: appError.status, headers });
}

/**
 * The headers proxy.ts gives pages: the JSON API does not run through the proxy (see its matcher:
 * Next buffers the whole request body of every request the proxy sees, before the handler runs),
 * so its responses name the request and the instance here, with HSTS behind https, and no-store.
 */
function finish(response: Response, requestId: string, secure: boolean): Response {
  if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
  response.headers.set("x-request-id", requestId);
  response.headers.set("x-served-by", instanceId());
  if (secure) response.headers.set("strict-transport-security", HSTS);
  return response;
}

function secureRequest(request: NextRequest): boolean {
  try {
    return isSecureOrigin(appOrigin(request.headers));
  } catch {
    return false; // no valid host: already answered 400 or 403
  }
}

export function route<P extends RouteParams = Record<string, never>>(
  handler: (input: HandlerInput<P>) => Promise<Response>,
): (request: NextRequest, context: RouteContext<P>) => Promise<Response> {
  return async (request, context) => {
    const requestId = requestIdFrom(request.headers.get("x-request-id"));
    const started = performance.now();
    const where = { method: request.method, path: request.nextUrl.pathname };
    let response: Response;
    try {
      assertSameOrigin(request);
      const params = await context.params;
      response = await handler({ request, params, requestId });
      log("info", "request", { requestId, ...where, status: response.status, ms: Math.round(performance.now() - started) });
    } catch (error) {
      response = errorResponse(error, requestId, where);
    }
    try {
      // Labelled by the route's pattern, not the path: ids in paths would make a series per upload.
      const labels = { route: routePattern(where.path, await context.params), method: request.method, status: response.status };
      observeRequest(labels, (performance.now() - started) / 1000);
    } catch (error) {
      log("warn", "request not counted in the metrics", { requestId, ...where, ...errorFields(error) }); // the answer stands
    }
    return finish(response, requestId, secureRequest(request));
  };
}

/** route() for handlers that need a signed-in user. */
export function userRoute<P extends RouteParams = Record<string, never>>(
  handler: (input: HandlerInput<P> & { user: SessionUser }) => Promise<Response>,
): (request: NextRequest, context: RouteContext<P>) => Promise<Response> {
  return route<P>(async (input) => handler({ ...input, user: await requireUser() }));
}

/**
 * The body as text, never more than `limit` bytes read: a declared Content-Length over the limit is
 * refused before reading, and a body without one (chunked) is cut off as soon as it passes the
 * limit, so no load balancer in front is needed to keep a client from streaming megabytes into memory.
 */
export async function readBoundedText(request: Request, limit: number): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw new AppError("body_too_large");
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new AppError("body_too_large");
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("bad_request", "The request body is not valid UTF-8 text.");
  }
}

/**
 * What a refused body says when its schema has no sentence of its own for the field: zod's own
 * messages ("left: Invalid input: expected number, received null") are for the log, not for people.
 */
const BODY_SENTENCES: Partial<Record<ErrorCode, string>> = {
  bad_request: "The request was not understood. Please reload the page and try again.",
  invalid_crop: "The crop could not be read. Move or zoom the picture a little, then press Crop again.",
  invalid_id: "That id is not valid. Please reload the page and try again.",
};

/**
 * Reads a small JSON body and validates it; a body over 16 KiB is a 413, any other problem a 400
 * with a sentence: the schema's own where it has one (a per-parse error map has lower precedence
 * than a schema's message), else the code's. Which field failed goes to the log as `detail`.
 */
export async function parseJsonBody<T>(request: NextRequest, schema: z.ZodType<T>, code: ErrorCode = "bad_request"): Promise<T> {
  const text = await readBoundedText(request, MAX_JSON_BYTES);
  let body: unknown;
  try {
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
  const sentence = BODY_SENTENCES[code] ?? BODY_SENTENCES.bad_request!;
  const result = schema.safeParse(body, { error: () => sentence });
  if (!result.success) {
    const issue = result.error.issues[0];
    const detail = issue ? `${issue.path.join(".") || "(body)"}: ${issue.code}` : undefined;
    throw new AppError(code, issue?.message ?? sentence, { detail });
  }
  return result.data;
}
