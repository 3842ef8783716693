import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError, apiFetch, apiRequest, type Transport } from "./api";

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

  it("applies the same policy over another transport (a load test's client) and reports each retry", async () => {
    const answers = [unavailable(), json(504, {}), json(200, { avatarId: "a" })];
    const calls: string[] = [];
    const transport: Transport = async (path, init) => {
      calls.push(`${init.method} ${path} ${init.headers?.["content-type"] ?? ""} ${init.body ?? ""}`);
      return answers.shift()!;
    };
    const retries: string[] = [];
    const result = apiRequest<{ avatarId: string }>(transport, "/api/uploads/u/save", { method: "POST", body: { cropId: "c" }, onRetry: (why) => retries.push(why) });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ avatarId: "a" });
    expect(retries).toEqual(["502", "504"]);
    expect(calls).toEqual(Array(3).fill('POST /api/uploads/u/save application/json {"cropId":"c"}'));
    expect(fetchMock).not.toHaveBeenCalled();
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

/**
 * How the body is read, against a real HTTP server on loopback (Node's fetch is the same WHATWG
 * fetch the browser has): an abort while the body arrives, and 2xx answers whose body cannot be
 * read, must reject; apiFetch never resolves with something the server did not send.
 */
describe("apiFetch reading the answer's body", () => {
  type Handler = (request: IncomingMessage, response: ServerResponse) => void;
  let server: Server;
  let origin: string;
  let handler: Handler;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    server = createServer((request, response) => handler(request, response));
    server.on("connection", (socket) => (sockets.add(socket), socket.once("close", () => sockets.delete(socket))));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  it("rejects with the AbortError when the call is aborted while the body is read", async () => {
    // Headers and half a JSON body, then nothing: the body is still being read when the user cancels.
    handler = (_request, response) => {
      response.writeHead(201, { "content-type": "application/json" });
      response.write('{"uploadId":"u1","post":');
    };
    // The real fetch, watched so the abort comes only once the headers are in (fetch resolved).
    const realFetch = globalThis.fetch;
    let headersIn!: () => void;
    const headersArrived = new Promise<void>((resolve) => (headersIn = resolve));
    vi.stubGlobal("fetch", async (...args: Parameters<typeof fetch>) => {
      const response = await realFetch(...args);
      headersIn();
      return response;
    });
    const controller = new AbortController();
    let outcome: { resolved: unknown } | { rejected: unknown };
    try {
      const settled = apiFetch(`${origin}/api/uploads`, { method: "POST", body: {}, signal: controller.signal }).then(
        (value: unknown) => ({ resolved: value }),
        (error: unknown) => ({ rejected: error }),
      );
      await headersArrived;
      controller.abort();
      outcome = await settled;
    } finally {
      vi.unstubAllGlobals();
    }
    expect(outcome).not.toHaveProperty("resolved");
    expect((outcome as { rejected: unknown }).rejected).toBeInstanceOf(DOMException);
    expect((outcome as { rejected: DOMException }).rejected.name).toBe("AbortError");
  });

  it("rejects with an ApiError when a 2xx body is not JSON, and does not retry it", async () => {
    let calls = 0;
    handler = (_request, response) => {
      calls++;
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<html>a captive portal</html>");
    };
    await expect(apiFetch(`${origin}/api/avatars`)).rejects.toMatchObject({ name: "ApiError", code: "bad_response", status: 200 });
    expect(calls).toBe(1);
  });

  it("rejects with an ApiError when a 2xx body is empty", async () => {
    handler = (_request, response) => {
      response.writeHead(201, { "content-type": "application/json" });
      response.end();
    };
    await expect(apiFetch(`${origin}/api/uploads`, { method: "POST", body: {} })).rejects.toMatchObject({ name: "ApiError", code: "bad_response" });
  });

  it("treats a connection cut while a 2xx body is read as dropped: retried, then an ApiError", async () => {
    let calls = 0;
    handler = (_request, response) => {
      calls++;
      response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      response.write('{"items":');
      setTimeout(() => response.socket?.destroy(), 20);
    };
    const result = apiFetch(`${origin}/api/avatars`);
    await expect(result).rejects.toMatchObject({ name: "ApiError", code: "network", status: 0 });
    expect(calls).toBe(4);
  }, 15_000);

  it("a cut body that then succeeds on retry resolves with the whole body", async () => {
    let calls = 0;
    handler = (_request, response) => {
      calls++;
      if (calls === 1) {
        response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        response.write('{"items":');
        setTimeout(() => response.socket?.destroy(), 20);
        return;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"items":[],"nextCursor":null}');
    };
    await expect(apiFetch(`${origin}/api/avatars`)).resolves.toEqual({ items: [], nextCursor: null });
    expect(calls).toBe(2);
  });

  it("an error answer without a JSON body still rejects with a message for people", async () => {
    handler = (_request, response) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end("Internal Server Error");
    };
    await expect(apiFetch(`${origin}/api/avatars/a`, { method: "DELETE" })).rejects.toMatchObject({
      name: "ApiError",
      status: 500,
      code: "unknown",
      message: "Something went wrong on our side. Please try again.",
    });
  });
});
