/**
 * Where a user may be sent after signing in: only a path on the app's own origin. The target is
 * parsed against the origin the way a browser would parse it, so `/\evil.example`,
 * `/%09/evil.example`, `//evil.example`, `https://evil.example` and `javascript:` all resolve
 * elsewhere (or nowhere) and become "/". Pure: used by the sign-in page and next-auth's callback.
 */
export function safeRedirectPath(target: string | undefined | null, appOrigin: string): string {
  if (!target) return "/";
  let url: URL;
  try {
    url = new URL(target, appOrigin);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(appOrigin).origin) return "/";
  // A path that starts with two slashes (e.g. from "/.//evil.example") would be read as another
  // host once written into a Location header; so would one that does after percent-decoding
  // ("/%09/evil.example", "/%2F/evil.example") by a proxy that decodes. Control characters never
  // belong in a path we send people to.
  const decoded = percentDecoded(url.pathname);
  if (decoded === undefined || /^\/[\s/\\]/.test(decoded) || /[\u0000-\u001f\u007f]/.test(decoded)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

function percentDecoded(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
