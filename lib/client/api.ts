/**
 * Browser-side calls to the app's own API. Every failure becomes an ApiError with the server's
 * message (already written for people) or a plain-language fallback.
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

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      credentials: "same-origin",
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError("The server could not be reached. Check your connection and try again.", 0, "network");
  }
  recordServedBy(init.method ?? "GET", path, response.headers.get("x-served-by"));
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!response.ok) {
    const fallback = response.status >= 500 ? "Something went wrong on our side. Please try again." : "The request failed.";
    throw new ApiError(body?.error?.message ?? fallback, response.status, body?.error?.code ?? "unknown");
  }
  return body as T;
}
