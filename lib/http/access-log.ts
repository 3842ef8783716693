import "server-only";

import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";

import { log } from "@/lib/log";

/**
 * One JSON line per page request (pages, their RSC fetches, redirects, not-found), with the
 * request id proxy.ts gave it, the status and the time taken. Route handlers (/api/*, /avatars/*) log
 * through route() (lib/http/handler.ts) with more context, and static files are left to the load
 * balancer, so both are skipped here. Read from the node:http diagnostics channel, no change to
 * Next's server.
 */

const SKIP = /^\/(api\/|avatars\/|_next\/static\/|_next\/image|favicon\.ico)/;

const marker = Symbol.for("avatar-relay.access-log");
const state = globalThis as typeof globalThis & { [marker]?: true };

export function installPageAccessLog(): void {
  if (state[marker]) return;
  state[marker] = true;
  subscribe("http.server.request.start", (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const [path = "/", query] = (request.url ?? "/").split("?");
    if (SKIP.test(path)) return;
    const started = performance.now();
    response.once("close", () => {
      const requestId = response.getHeader("x-request-id");
      log("info", "page", {
        requestId: typeof requestId === "string" ? requestId : undefined,
        method: request.method,
        path,
        ...(request.headers.rsc === "1" || /(^|&)_rsc=/.test(query ?? "") ? { rsc: true } : {}),
        status: response.statusCode,
        ms: Math.round(performance.now() - started),
        ...(response.writableFinished ? {} : { aborted: true }),
      });
    });
  });
}
