/** Behind https (NEXTAUTH_URL), browsers must never come back over plain http: two years. */
export const HSTS = "max-age=63072000";
