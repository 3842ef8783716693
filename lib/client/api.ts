/**
 * Browser-side calls to the app's own API. Every failure becomes an ApiError with the server's
 * message (already written for people) or a plain-language fallback; a cancelled call rejects with
 * the AbortError it is. A call never resolves with anything but the body the server sent.
 *
 * An instance may die between two steps or during a rolling restart; the load balancer then
 * answers 502/504 or the connection drops (before the answer, or while its body is read). Those
 * calls are retried a few times with back-off, so the user does not notice. Every call is safe to
 * repeat (finish and save are idempotent; a repeated presign or crop only leaves an extra temporary
 * object that expires), except DELETE, which is not retried. 503 from the app itself (S3
 * unavailable) is shown at once, with its "try again" message.
 */

import { recordServedBy } from "./served-by";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    /** The server's id for the request (x-request-id): what support looks up in the logs. */
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** What a step shows when something failed: a sentence, and the request's reference for support. */
export type StepProblem = { message: string; code?: string; requestId?: string };

/** A failure as a step shows it: the server's sentence and reference, or `fallback` for anything else. */
export function problemOf(caught: unknown, fallback: string): StepProblem {
  if (caught instanceof ApiError) return { message: caught.message, code: caught.code, requestId: caught.requestId };
  return { message: fallback };
}

const RETRY_DELAYS_MS = [300, 1000, 2500];
const RETRIED_STATUSES = new Set([502, 504]);
const UNREACHABLE = "The server could not be reached. Check your connection and try again.";

export const isAbortError = (error: unknown): error is DOMException => error instanceof DOMException && error.name === "AbortError";

const abortError = (signal: AbortSignal): unknown => (isAbortError(signal.reason) ? signal.reason : new DOMException("Aborted", "AbortError"));

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => (clearTimeout(timer), reject(abortError(signal!)));
    const timer = setTimeout(() => (signal?.removeEventListener("abort", onAbort), resolve()), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

type Attempt = { kind: "answer"; status: number; text: string } | { kind: "dropped" };

/** How a request reaches the app: the browser's fetch here; a load test's own HTTP client elsewhere. */
export type Transport = (path: string, init: { method: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<Response>;

const browserTransport: Transport = async (path, init) => {
  const response = await fetch(path, { ...init, credentials: "same-origin" });
  recordServedBy(init.method, path, response.headers.get("x-served-by"));
  return response;
};

/** One request and its whole body. A dropped connection (before or during the body) is "dropped"; an abort rejects. */
async function attempt(transport: Transport, method: string, path: string, init: ApiInit): Promise<Attempt> {
  try {
    const response = await transport(path, {
      method,
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
    const text = await response.text();
    return { kind: "answer", status: response.status, text };
  } catch (error) {
    if (isAbortError(error)) throw error;
    if (init.signal?.aborted) throw abortError(init.signal);
    return { kind: "dropped" };
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; requestId?: unknown } };

function errorFrom(status: number, text: string): ApiError {
  const parsed = parseJson(text);
  const error = parsed.ok && parsed.value && typeof parsed.value === "object" ? (parsed.value as ErrorBody).error : undefined;
  const message = typeof error?.message === "string" ? error.message : status >= 500 ? "Something went wrong on our side. Please try again." : "The request failed.";
  const requestId = typeof error?.requestId === "string" ? error.requestId : undefined;
  return new ApiError(message, status, typeof error?.code === "string" ? error.code : "unknown", requestId);
}

export type ApiInit = {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Told about every retry (a load test counts them; the browser does not need to). */
  onRetry?: (reason: string) => void;
};

export function apiFetch<T>(path: string, init: ApiInit = {}): Promise<T> {
  return apiRequest<T>(browserTransport, path, init);
}

/** apiFetch's policy (retries, error sentences) over any transport. */
export async function apiRequest<T>(transport: Transport, path: string, init: ApiInit = {}): Promise<T> {
  const method = init.method ?? "GET";
  const retries = method === "DELETE" ? 0 : RETRY_DELAYS_MS.length;
  for (let attemptIndex = 0; ; attemptIndex++) {
    const result = await attempt(transport, method, path, init);
    const retry = result.kind === "dropped" || RETRIED_STATUSES.has(result.status);
    if (retry && attemptIndex < retries) {
      init.onRetry?.(result.kind === "dropped" ? "dropped" : String(result.status));
      await sleep(RETRY_DELAYS_MS[attemptIndex]!, init.signal);
      continue;
    }
    if (result.kind === "dropped") throw new ApiError(UNREACHABLE, 0, "network");
    if (result.status < 200 || result.status > 299) throw errorFrom(result.status, result.text);
    const parsed = parseJson(result.text);
    if (!parsed.ok) throw new ApiError("The server's answer could not be read. Please try again.", result.status, "bad_response");
    return parsed.value as T;
  }
}
