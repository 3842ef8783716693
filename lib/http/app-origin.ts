import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";

/**
 * The app's own origin for a request, the way next-auth 4 derives it (next-auth/utils/detect-origin):
 * NEXTAUTH_URL when set; else, on Vercel, the forwarded host over https unless the forwarded
 * protocol is http. Elsewhere without NEXTAUTH_URL (development, tests; production refuses to start)
 * the request's own host. The same-origin check, the redirect sanitiser and HSTS all use this, so
 * none of them disagrees with where next-auth sends a user.
 */

type Headers = { get(name: string): string | null };
export type OriginSettings = { NEXTAUTH_URL?: string; VERCEL: boolean };

export function appOriginFrom(headers: Headers, settings: OriginSettings): string {
  if (settings.NEXTAUTH_URL) return new URL(settings.NEXTAUTH_URL).origin;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  const forwardedProto = headers.get("x-forwarded-proto");
  // next-auth's rule on Vercel: anything but "http" is https. Elsewhere the proxy must say https.
  const scheme = settings.VERCEL ? (forwardedProto === "http" ? "http" : "https") : forwardedProto === "https" ? "https" : "http";
  const candidate = `${scheme}://${host ?? ""}`;
  const url = URL.canParse(candidate) ? new URL(candidate) : undefined;
  // A host header carrying a path, credentials or a second host names no origin at all.
  if (!host || !url || url.href !== `${url.origin}/`) {
    throw new AppError("bad_request", "The request does not name a valid host.", { detail: `host: ${JSON.stringify(host)}` });
  }
  return url.origin;
}

/** appOriginFrom with this deployment's configuration. */
export function appOrigin(headers: Headers): string {
  return appOriginFrom(headers, getEnv());
}

/** Whether browsers reach the app over https (then HSTS is sent and next-auth's cookies are Secure). */
export function isSecureOrigin(origin: string): boolean {
  return origin.startsWith("https://");
}
