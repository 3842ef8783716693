/**
 * Browser-side calls to the app's own API. Every failure becomes an ApiError with the server's
 * message (already written for people) or a plain-language fallback.
 *
 * An instance may die between two steps or during a rolling restart; the load balancer then
 * answers 502/504 or the connection drops. Those calls are retried a few times with back-off, so
 * the user does not notice. Every call is safe to repeat (finish and save are idempotent; a repeated
 * presign or crop only leaves an extra temporary object that expires), except DELETE, which is not
 * retried. 503 from the app itself (S3 unavailable) is shown at once, with its "try again" message.
 */

import { recordServedBy } from "./served-by";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

const RETRY_DELAYS_MS = [300, 1000, 2500];
const RETRIED_STATUSES = new Set([502, 504]);

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(new DOMException("Aborted", "AbortError"))), { once: true });
  });

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? "GET";
  const retries = method === "DELETE" ? 0 : RETRY_DELAYS_MS.length;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: init.body === undefined ? undefined : { "content-type": "application/json" },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
        credentials: "same-origin",
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      if (attempt < retries) {
        await sleep(RETRY_DELAYS_MS[attempt]!, init.signal);
        continue;
      }
      throw new ApiError("The server could not be reached. Check your connection and try again.", 0, "network");
    }
    recordServedBy(method, path, response.headers.get("x-served-by"));
    if (RETRIED_STATUSES.has(response.status) && attempt < retries) {
      await sleep(RETRY_DELAYS_MS[attempt]!, init.signal);
      continue;
    }
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    if (!response.ok) {
      const fallback = response.status >= 500 ? "Something went wrong on our side. Please try again." : "The request failed.";
      throw new ApiError(body?.error?.message ?? fallback, response.status, body?.error?.code ?? "unknown");
    }
    return body as T;
  }
}
