import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { AppError } from "@/lib/errors";
import { MAX_JSON_BYTES } from "@/lib/limits/fixed";
import { appMetrics } from "@/lib/metrics/registry";

import { parseJsonBody, route, userRoute } from "./handler";

/**
 * The one wrapper every route handler goes through, called the way Next calls a route handler: a
 * real NextRequest in, a Response out. userRoute's session lookup needs Next's request scope, so
 * for that one test lib/auth/session is replaced by a stand-in that says who is signed in; the
 * real sign-in is proven over HTTP in e2e/security.spec.ts and the OIDC tier.
 */

const session = vi.hoisted(() => ({ user: null as { id: string; name: string } | null }));
vi.mock("@/lib/auth/session", async () => {
  const { AppError: Err } = await import("@/lib/errors");
  return {
    requireUser: async () => {
      if (!session.user) throw new Err("unauthorized");
      return session.user;
    },
  };
});

beforeAll(() => {
  vi.stubEnv("AUTH_SECRET", "handler-test-secret-0123456789");
  vi.stubEnv("S3_BUCKET", "handler-test");
  vi.stubEnv("LOG_LEVEL", "silent");
});

const ORIGIN = "http://app.test";
const context = { params: Promise.resolve({}) };
const echo = z.object({ name: z.string().max(10) });

const handler = route(async ({ request }) => Response.json(await parseJsonBody(request, echo), { status: 201 }));

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new NextRequest(`${ORIGIN}/api/x`, { method: "POST", headers: { origin: ORIGIN, host: "app.test", ...headers }, body, duplex: "half" } as unknown as ConstructorParameters<typeof NextRequest>[1]);

/** A body without Content-Length, sent in pieces, as a chunked upload arrives. */
function chunked(pieces: number, pieceBytes: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === pieces) return controller.close();
      sent++;
      controller.enqueue(new TextEncoder().encode(" ".repeat(pieceBytes)));
    },
  });
  return { stream, pulled: () => sent };
}

async function errorOf(response: Response) {
  return { status: response.status, ...((await response.json()) as { error: { code: string; message: string } }).error };
}

describe("route()", () => {
  it("answers what the handler returns, with no-store, its request id and the instance (the JSON API skips proxy.ts)", async () => {
    const response = await handler(post(JSON.stringify({ name: "ada" }), { "content-type": "application/json", "x-request-id": "req-from-the-edge-0001" }), context);
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ name: "ada" });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-request-id")).toBe("req-from-the-edge-0001");
    expect(response.headers.get("x-served-by")).toBeTruthy();
    const refused = await handler(post("{", { "content-type": "application/json" }), context);
    expect(refused.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(refused.headers.get("x-served-by")).toBe(response.headers.get("x-served-by"));
  });

  it("refuses a cross-site POST (foreign Origin, or Sec-Fetch-Site: cross-site) with 403", async () => {
    expect(await errorOf(await handler(post("{}", { origin: "https://evil.example" }), context))).toMatchObject({ status: 403, code: "forbidden" });
    expect(await errorOf(await handler(post("{}", { "sec-fetch-site": "cross-site" }), context))).toMatchObject({ status: 403, code: "forbidden" });
  });

  it("refuses a body over the limit with 413, whether it declares its length or not", async () => {
    // A declared length over the limit is refused before a byte is read.
    const { stream: neverRead, pulled: readOfDeclared } = chunked(64, 1024);
    const declared = post(neverRead, { "content-length": String(MAX_JSON_BYTES + 1) });
    expect(declared.headers.get("content-length")).toBe(String(MAX_JSON_BYTES + 1));
    expect(await errorOf(await handler(declared, context))).toMatchObject({ status: 413, code: "body_too_large", message: "The request body is too large." });
    expect(readOfDeclared()).toBeLessThanOrEqual(1); // a stream may be primed with one piece, never read on

    // 1 MiB in 1 KiB pieces with no Content-Length: refused after reading just past 16 KiB, not at the end.
    const { stream, pulled } = chunked(1024, 1024);
    const streamed = post(stream);
    expect(streamed.headers.get("content-length")).toBeNull();
    expect(await errorOf(await handler(streamed, context))).toMatchObject({ status: 413, code: "body_too_large" });
    expect(pulled()).toBeLessThan(1024 / 8);
  });

  it("a chunked body under the limit is read whole", async () => {
    const body = new TextEncoder().encode(JSON.stringify({ name: "grace" }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body.subarray(0, 5));
        controller.enqueue(body.subarray(5));
        controller.close();
      },
    });
    const response = await handler(post(stream), context);
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ name: "grace" });
  });

  it("invalid JSON and a body of the wrong shape are 400 with a sentence, never a schema message", async () => {
    expect(await errorOf(await handler(post("{not json"), context))).toMatchObject({ status: 400, message: "The request body is not valid JSON." });
    // No field-level schema message reaches a person: a sentence they can act on instead.
    expect(await errorOf(await handler(post(JSON.stringify({ name: "x".repeat(11) })), context))).toMatchObject({
      status: 400,
      code: "bad_request",
      message: "The request was not understood. Please reload the page and try again.",
    });
    expect(await errorOf(await handler(post(JSON.stringify({ name: null })), context))).not.toMatchObject({ message: expect.stringMatching(/name|expected|Invalid input/) });
  });

  it("a schema's own sentence for a field wins; a crop body of nulls gets the crop's sentence", async () => {
    const kind = z.object({ kind: z.enum(["a", "b"], { error: "Please choose a or b." }) });
    const kindHandler = route(async ({ request }) => Response.json(await parseJsonBody(request, kind), { status: 201 }));
    expect(await errorOf(await kindHandler(post(JSON.stringify({ kind: "c" })), context))).toMatchObject({ status: 400, message: "Please choose a or b." });
    const crop = z.object({ left: z.number().int().min(0) });
    const cropHandler = route(async ({ request }) => Response.json(await parseJsonBody(request, crop, "invalid_crop"), { status: 201 }));
    expect(await errorOf(await cropHandler(post(JSON.stringify({ left: null })), context))).toMatchObject({
      status: 400,
      code: "invalid_crop",
      message: "The crop could not be read. Move or zoom the picture a little, then press Crop again.",
    });
  });

  it("maps an AppError to its status and Retry-After", async () => {
    const limited = route(async () => {
      throw new AppError("rate_limited", undefined, { retryAfterSeconds: 12.2 });
    });
    const response = await limited(post("{}"), context);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("13");
    const unavailable = await route(async () => {
      throw new AppError("storage_unavailable");
    })(post("{}"), context);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBe("5");
  });

  it("counts every answer by route pattern, method and status, and each 429 by the limit that refused it", async () => {
    const uploadId = "0123456789abcdef0123456789abcdef";
    const crop = route<{ uploadId: string }>(async ({ params }) => {
      if (params.uploadId === uploadId) throw new AppError("rate_limited", undefined, { limit: "image_slots_full" });
      throw new AppError("rate_limited");
    });
    const request = (id: string) => new NextRequest(`${ORIGIN}/api/uploads/${id}/crop`, { method: "POST", headers: { origin: ORIGIN, host: "app.test" } });
    const limitedBy = async (reason: string) => (await appMetrics().rateLimited.get()).values.find((sample) => sample.labels.reason === reason)?.value ?? 0;
    const unnamedBefore = await limitedBy("rate_limited"); // an earlier test's 429 counts here too
    await crop(request(uploadId), { params: Promise.resolve({ uploadId }) });
    await crop(request("fedcba9876543210fedcba9876543210"), { params: Promise.resolve({ uploadId: "fedcba9876543210fedcba9876543210" }) });

    const requests = (await appMetrics().httpRequests.get()).values;
    expect(requests).toContainEqual(expect.objectContaining({ labels: { route: "/api/uploads/[uploadId]/crop", method: "POST", status: "429" }, value: 2 }));
    expect(requests.map((sample) => String(sample.labels.route)).filter((label) => /[0-9a-f]{32}/.test(label))).toEqual([]);
    const durations = (await appMetrics().httpDuration.get()).values;
    expect(durations).toContainEqual(expect.objectContaining({ metricName: "avatar_relay_http_request_duration_seconds_count", labels: { route: "/api/uploads/[uploadId]/crop", method: "POST" }, value: 2 }));
    expect(await limitedBy("image_slots_full")).toBe(1);
    expect(await limitedBy("rate_limited")).toBe(unnamedBefore + 1); // no limit named: the code
  });

  it("turns an unknown error into a 500 that reveals nothing about it", async () => {
    const failing = route(async () => {
      throw new Error("connect ECONNREFUSED 10.0.0.7:5432 password=hunter2");
    });
    const response = await failing(post("{}", { "x-request-id": "req-12345678" }), context);
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: "Something went wrong on our side. Please try again.", requestId: "req-12345678" } });
    expect(text).not.toMatch(/ECONNREFUSED|hunter2|10\.0\.0\.7|at /);
  });
});

describe("userRoute()", () => {
  const whoami = userRoute(async ({ user }) => Response.json({ id: user.id }));

  it("is 401 without a session and passes the signed-in user to the handler", async () => {
    session.user = null;
    expect(await errorOf(await whoami(post("{}"), context))).toMatchObject({ status: 401, code: "unauthorized" });
    session.user = { id: "0123456789abcdef0123456789ab", name: "ada" };
    const response = await whoami(post("{}"), context);
    expect(await response.json()).toEqual({ id: "0123456789abcdef0123456789ab" });
  });

  it("checks the origin before the session", async () => {
    session.user = { id: "0123456789abcdef0123456789ab", name: "ada" };
    expect((await whoami(post("{}", { origin: "https://evil.example" }), context)).status).toBe(403);
  });
});
