import "server-only";

import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";

import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * SIGTERM drains the instance. Next's own server (next start and the standalone server.js) already
 * does most of it when NEXT_MANUAL_SIG_HANDLE is unset: server.close() stops accepting connections,
 * waits for the open ones to end, then the process exits with 143. Two gaps remain, closed here:
 *
 *  - Keep-alive: server.close() lets an open connection carry new requests after the in-flight
 *    one (Node keeps it alive), and waits for it to go idle and time out. From SIGTERM on, every
 *    response says `Connection: close` and connections are closed as soon as they are idle, so
 *    the requests in flight finish and nothing new starts.
 *  - No bound: a request stuck on S3 would keep the process alive until the orchestrator's
 *    SIGKILL. After SHUTDOWN_TIMEOUT_SECONDS the process exits anyway, saying what it cut off.
 *
 * The node:http diagnostics channel gives us Next's server and every request without wrapping
 * server.js, so `next start`, the standalone server and the container image all behave the same.
 */

type RequestStart = { request: IncomingMessage; response: ServerResponse; server: Server };

const marker = Symbol.for("avatar-relay.shutdown");
const state = globalThis as typeof globalThis & { [marker]?: { draining: boolean } };

export function installGracefulShutdown(): void {
  if (state[marker]) return;
  const self = { draining: false };
  state[marker] = self;

  const inFlight = new Map<ServerResponse, { method?: string; url?: string }>();
  const servers = new Set<Server>();
  const closeIdle = () => setImmediate(() => servers.forEach((server) => server.closeIdleConnections()));

  subscribe("http.server.request.start", (message) => {
    const { request, response, server } = message as RequestStart;
    servers.add(server);
    inFlight.set(response, { method: request.method, url: request.url });
    if (self.draining && !response.headersSent) response.setHeader("connection", "close");
    response.once("close", () => {
      inFlight.delete(response);
      if (self.draining) closeIdle();
    });
  });

  process.once("SIGTERM", () => {
    self.draining = true;
    const timeoutSeconds = getEnv().SHUTDOWN_TIMEOUT_SECONDS;
    for (const response of inFlight.keys()) if (!response.headersSent) response.setHeader("connection", "close");
    closeIdle();
    log("info", "SIGTERM: draining", { inFlight: inFlight.size, timeoutSeconds });
    setTimeout(() => {
      const cut = [...inFlight.values()].map((r) => `${r.method} ${r.url?.split("?")[0]}`);
      log("warn", "drain timed out: exiting with requests still in flight", { inFlight: cut.length, requests: cut.slice(0, 20) });
      process.exit(1);
    }, timeoutSeconds * 1000).unref();
    process.once("exit", (code) => log("info", "exit", { code, inFlight: inFlight.size }));
  });
}
