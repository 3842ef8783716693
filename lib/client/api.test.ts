import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError, apiFetch } from "./api";

/**
 * The retry policy of the browser's API client. fetch is stubbed here because the point is the
 * sequence of answers (a load balancer's 502s during a restart), which the e2e cluster suite
 * produces for real; this test pins which answers are retried and which are not.
 */

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const unavailable = () => json(502, { error: { code: "unavailable", message: "No server could answer right now. Please try again in a moment." } });

describe("apiFetch", () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("retries a load balancer's 502/504 and a dropped connection, then succeeds", async () => {
    fetchMock.mockResolvedValueOnce(unavailable()).mockRejectedValueOnce(new TypeError("Failed to fetch")).mockResolvedValueOnce(json(504, {})).mockResolvedValueOnce(json(201, { cropId: "x" }));
    const result = apiFetch<{ cropId: string }>("/api/uploads/u/crop", { method: "POST", body: {} });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ cropId: "x" });
    expect(fetchMock).toHaveBeenCalledTimes(4);
  });

  it("gives up after three retries with the load balancer's message", async () => {
    fetchMock.mockImplementation(async () => unavailable());
    const result = apiFetch("/api/uploads/u/save", { method: "POST", body: {} });
    const settled = expect(result).rejects.toMatchObject({ status: 502, code: "unavailable", message: /No server could answer/ });
    await vi.runAllTimersAsync();
    await settled;
    expect(fetchMock).toHaveBeenCalledTimes(4);
  });

  it("does not retry a DELETE, an app's 503 (storage down) or a 4xx", async () => {
    fetchMock.mockResolvedValueOnce(unavailable());
    await expect(apiFetch("/api/avatars/a", { method: "DELETE" })).rejects.toBeInstanceOf(ApiError);
    fetchMock.mockResolvedValueOnce(json(503, { error: { code: "storage_unavailable", message: "Storage is not reachable right now." } }));
    await expect(apiFetch("/api/avatars")).rejects.toMatchObject({ status: 503, code: "storage_unavailable" });
    fetchMock.mockResolvedValueOnce(json(404, { error: { code: "upload_not_found", message: "That upload was not found." } }));
    await expect(apiFetch("/api/uploads/u")).rejects.toMatchObject({ status: 404 });
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });
});
