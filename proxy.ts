import { NextResponse, type NextRequest } from "next/server";

import { getEnv } from "@/lib/env";
import { appOrigin, isSecureOrigin } from "@/lib/http/app-origin";
import { refuseLargeBody } from "@/lib/http/proxy-body";
import { requestIdFrom } from "@/lib/http/request-id";
import { instanceId } from "@/lib/log";
import { contentSecurityPolicy, s3BrowserOrigins } from "@/lib/security/csp";
import { pageSecurityHeaders } from "@/lib/security/headers";

/**
 * Runs before every page, route handler and public/ file: gives the request an id (kept when a
 * proxy in front already set a sane one), names the instance that answered (x-served-by), and sets
 * the page's Content-Security-Policy with a fresh nonce, which Next.js reads from the request
 * header, the Permissions-Policy and Cross-Origin-Opener-Policy, and HSTS when the app's origin
 * (lib/http/app-origin.ts) is https.
 *
 * Not for the JSON API that route() wraps (lib/http/handler.ts sets the same headers there): for
 * every request the proxy sees, Next reads the whole request body off the socket and buffers it
 * (up to 10 MB) before the route handler runs, so the handler's 16 KiB limit could not stop the
 * reading. next-auth's routes (/api/auth) still run through it; Next buffers at most 64 KiB of any
 * body here (next.config.mjs), and a body declared larger is refused with 413 (lib/http/proxy-body.ts).
 */

let cachedOrigins: { s3: string[]; images: string[] } | undefined;
function origins() {
  if (!cachedOrigins) {
    const env = getEnv();
    cachedOrigins = {
      s3: s3BrowserOrigins({ bucket: env.S3_BUCKET, region: env.S3_REGION, endpoint: env.S3_ENDPOINT, forcePathStyle: env.S3_FORCE_PATH_STYLE }),
      images: env.S3_PUBLIC_BASE_URL ? [new URL(env.S3_PUBLIC_BASE_URL).origin] : [],
    };
  }
  return cachedOrigins;
}

function secureOrigin(request: NextRequest): boolean {
  try {
    return isSecureOrigin(appOrigin(request.headers));
  } catch {
    return false; // a request naming no valid host gets no HSTS; the page or route refuses it
  }
}

export function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers.get("x-request-id"));
  const tooLarge = refuseLargeBody(request.headers.get("content-length"));
  if (tooLarge) return NextResponse.json(tooLarge.toBody(requestId), { status: tooLarge.status, headers: { "x-request-id": requestId, "x-served-by": instanceId() } });
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const { s3, images } = origins();
  const policy = contentSecurityPolicy({ nonce, s3Origins: s3, imageOrigins: images, development: getEnv().NODE_ENV === "development" });

  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);

  const response = NextResponse.next({ request: { headers } });
  for (const [name, value] of Object.entries(pageSecurityHeaders({ contentSecurityPolicy: policy, secure: secureOrigin(request) }))) response.headers.set(name, value);
  response.headers.set("x-request-id", requestId);
  response.headers.set("x-served-by", instanceId());
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/(?!auth/)).*)" }],
};
