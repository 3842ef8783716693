/**
 * Where the cluster e2e runs things, all on loopback and clear of the single-instance suite's
 * ports (3100, 4590): nginx on LB_PORT, instances on LB_PORT+1..LB_PORT+INSTANCES.
 */
export const LB_PORT = Number(process.env.E2E_CLUSTER_PORT ?? 3300);
export const LB_ORIGIN = `http://127.0.0.1:${LB_PORT}`;
export const INSTANCES = 3;
export const S3_PORT = Number(process.env.E2E_CLUSTER_S3_PORT ?? 4591);
export const AUTH_SECRET = "e2e-cluster-only-secret-0123456789abcdef";
export const AUTH_USER_ID_KEY = "e2e-cluster-only-user-id-key-0123456789abcdef";
/** A spare port for instances started outside the load balancer (the health test). */
export const SPARE_PORT = LB_PORT + 10;
/** The test OpenID provider every instance is configured with (besides the development sign-in). */
export const OIDC_PORT = Number(process.env.E2E_CLUSTER_OIDC_PORT ?? 4611);
export const OIDC_CLIENT = { id: "avatar-relay-cluster-e2e", secret: "oidc-cluster-e2e-client-secret-0123456789", name: "Test SSO" } as const;
