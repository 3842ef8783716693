import type { Instrumentation } from "next";

/**
 * Runs once when a server instance starts: refuse to start with bad configuration, naming the
 * variable; warn when the development sign-in is on in production; drain on SIGTERM
 * (lib/http/shutdown.ts); log page requests as JSON lines; start the metrics when they are on.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { EnvError, getEnv } = await import("./lib/env");
  let env: ReturnType<typeof getEnv>;
  try {
    env = getEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    // Next would log this and keep listening, answering 500 to everything: a bad deployment must
    // stop instead, saying which variable to fix (no stack: the message is the whole story).
    console.error(`avatar-relay refuses to start. ${error.message}`);
    process.exit(1);
  }
  if (env.NODE_ENV === "production" && env.AUTH_DEV_LOGIN) {
    const { log } = await import("./lib/log");
    log("warn", "AUTH_DEV_LOGIN=true: the development sign-in is on, anyone can sign in as anyone without a password; use it for demos and tests only");
  }
  const { installGracefulShutdown } = await import("./lib/http/shutdown");
  const { installPageAccessLog } = await import("./lib/http/access-log");
  installGracefulShutdown();
  installPageAccessLog();
  if (env.METRICS_TOKEN) {
    // The registry (on globalThis, shared with the route handlers' bundles) starts measuring the
    // event loop from here, not from the first request.
    const { appMetrics } = await import("./lib/metrics/registry");
    appMetrics();
  }
}

/** Errors thrown while rendering a page (route handlers catch their own): one JSON line with the request id. */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { errorFields, log } = await import("./lib/log");
  const requestId = request.headers["x-request-id"];
  log("error", "request error", {
    requestId: typeof requestId === "string" ? requestId : undefined,
    method: request.method,
    path: request.path.split("?")[0],
    route: context.routePath,
    routeType: context.routeType,
    ...errorFields(error),
  });
};
