/** The app's environment as a tier gives it: the S3 settings of an embedded server, or the shared part of a cluster's. */
import { EMBEDDED_S3_CREDENTIALS } from "./embedded-s3";

/** The app's S3 settings for an embedded server at `endpoint`, with its bucket. */
export function embeddedS3AppEnv(endpoint: string, bucket: string): Record<string, string> {
  return {
    S3_ENDPOINT: endpoint,
    S3_REGION: "us-east-1",
    S3_BUCKET: bucket,
    S3_FORCE_PATH_STYLE: "true",
    S3_ACCESS_KEY_ID: EMBEDDED_S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: EMBEDDED_S3_CREDENTIALS.secretAccessKey,
  };
}

/** The app's settings every instance shares (S3, auth, limits); each instance adds PORT and INSTANCE_ID. */
const SHARED_KEYS = [/^S3_/, /^AUTH_/, /^NEXTAUTH_URL$/, /^CORS_ALLOWED_ORIGINS$/, /^UPLOAD/, /^IMAGE_/, /^CROPS_PER_UPLOAD$/, /^AVATARS_PER_USER$/, /^LOG_LEVEL$/, /^SHUTDOWN_TIMEOUT_SECONDS$/, /^METRICS_TOKEN$/];

export function sharedAppEnv(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && SHARED_KEYS.some((key) => key.test(entry[0]))),
  );
}

/**
 * process.env as it is now, and a function that puts it back: for a test that changes the app's
 * configuration (lib/env.ts reads process.env) and must leave the next test the one it found.
 */
export function snapshotEnv(): () => void {
  const saved = { ...process.env };
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}

export type TestOidcClient = { id: string; secret: string; name: string };

/**
 * What every tier's app is configured with: its public URL (NEXTAUTH_URL, the CORS origin), its
 * own secrets, the development sign-in on or off, the test OpenID provider when there is one, and
 * the S3 settings.
 */
export function testAppEnv(options: {
  url: string;
  secrets: { AUTH_SECRET: string; AUTH_USER_ID_KEY: string };
  devLogin: boolean;
  oidc?: { port: number; client: TestOidcClient };
  s3: Record<string, string>;
}): Record<string, string> {
  return {
    NEXTAUTH_URL: options.url,
    ...options.secrets,
    AUTH_DEV_LOGIN: String(options.devLogin),
    ...(options.oidc
      ? {
          AUTH_OIDC_ISSUER: `http://127.0.0.1:${options.oidc.port}`,
          AUTH_OIDC_ID: options.oidc.client.id,
          AUTH_OIDC_SECRET: options.oidc.client.secret,
          AUTH_OIDC_NAME: options.oidc.client.name,
        }
      : {}),
    CORS_ALLOWED_ORIGINS: options.url,
    ...options.s3,
  };
}
