/**
 * Where the sign-in tier runs things, on loopback and clear of the other tiers' ports: nginx
 * terminating TLS on LB_PORT, one production instance on LB_PORT+1, instances started for a single
 * test on SPARE_PORT, the OpenID provider on OIDC_PORT, the embedded S3 on S3_PORT.
 */
export const LB_PORT = Number(process.env.E2E_OIDC_LB_PORT ?? 3500);
export const APP_URL = `https://127.0.0.1:${LB_PORT}`;
export const SPARE_PORT = LB_PORT + 10;
export const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 4610);
export const S3_PORT = Number(process.env.E2E_OIDC_S3_PORT ?? 4592);
export const OIDC_CLIENT = { id: "avatar-relay-e2e", secret: "oidc-e2e-client-secret-0123456789abcdef", name: "Test SSO" } as const;
export const AUTH_SECRET = "e2e-oidc-only-secret-0123456789abcdef";
export const AUTH_USER_ID_KEY = "e2e-oidc-only-user-id-key-0123456789abcdef";
/** A Vercel preview deployment's branch URL, served by nginx on PREVIEW_PORT; Chromium resolves the name to 127.0.0.1. */
export const PREVIEW_HOST = "avatar-relay-git-x-myteam.vercel.app";
export const PREVIEW_PORT = LB_PORT + 20;
export const PREVIEW_URL = `https://${PREVIEW_HOST}:${PREVIEW_PORT}`;
/** The CORS origin `s3:setup` is given for every preview: one wildcard, as S3 CORS rules take it. */
export const PREVIEW_CORS_ORIGIN = `https://*-myteam.vercel.app:${PREVIEW_PORT}`;
