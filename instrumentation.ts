import type { Instrumentation } from "next";

/**
 * Runs once when a server instance starts: refuse to start with bad configuration, naming the
 * variable; drain on SIGTERM (lib/http/shutdown.ts); log page requests as JSON lines.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getEnv } = await import("./lib/env");
  getEnv();
  const { installGracefulShutdown } = await import("./lib/http/shutdown");
  const { installPageAccessLog } = await import("./lib/http/access-log");
  installGracefulShutdown();
  installPageAccessLog();
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
