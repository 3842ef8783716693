/** Behind https (NEXTAUTH_URL), browsers must never come back over plain http: two years. */
export const HSTS = "max-age=63072000";

/** Only the camera step (getUserMedia, same origin) may ask for a device; nothing else, and no frame of ours either. */
export const PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()";

/** A page opened from another site (or one we open) gets no handle on our window. */
export const CROSS_ORIGIN_OPENER_POLICY = "same-origin";

/** The headers proxy.ts sets on every page (pure): the request's CSP, the two above, and HSTS behind https. */
export function pageSecurityHeaders(input: { contentSecurityPolicy: string; secure: boolean }): Record<string, string> {
  return {
    "content-security-policy": input.contentSecurityPolicy,
    "permissions-policy": PERMISSIONS_POLICY,
    "cross-origin-opener-policy": CROSS_ORIGIN_OPENER_POLICY,
    ...(input.secure ? { "strict-transport-security": HSTS } : {}),
  };
}
