import { z } from "zod";

/**
 * The only reader of process.env. Parsed lazily (so `next build` does not need runtime
 * configuration) and validated once; instrumentation.ts calls getEnv() at server start so a bad
 * deployment fails immediately, naming the variable that is wrong.
 */

const booleanString = z
  .enum(["true", "false", "1", "0"], { error: "must be true or false" })
  .transform((value) => value === "true" || value === "1");

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envObject = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),

  AUTH_SECRET: z.string().min(16, "must be at least 16 characters (generate one with `openssl rand -base64 32`)"),
  /** Keys user ids (HMAC of provider + issuer + account id). Never change it: every user's data is filed under its ids. */
  AUTH_USER_ID_KEY: optionalString,
  NEXTAUTH_URL: z.url("must be the app's public URL, e.g. https://avatars.example.com").optional(),
  /** Set by Vercel on every deployment; any value counts, as it does for next-auth (lib/http/app-origin.ts). */
  VERCEL: z.string().optional().transform((value) => value !== undefined),
  AUTH_DEV_LOGIN: booleanString.optional(),
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  /** Any OpenID Connect provider (Keycloak, Authentik, Okta, Entra ID, Auth0, Zitadel, Dex): its issuer URL. */
  AUTH_OIDC_ISSUER: z.url("must be the provider's issuer URL, e.g. https://sso.example.com/realms/main").optional(),
  AUTH_OIDC_ID: optionalString,
  AUTH_OIDC_SECRET: optionalString,
  AUTH_OIDC_NAME: z.string().trim().min(1).max(40).default("Single sign-on"),

  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)"),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ENDPOINT: z.url("must be a URL such as http://127.0.0.1:4569 or https://<account>.r2.cloudflarestorage.com").optional(),
  S3_FORCE_PATH_STYLE: booleanString.default(false),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  /** How the browser sends a file to S3: a form POST, or a presigned PUT for stores without POST (Cloudflare R2, Backblaze B2). */
  S3_UPLOAD_METHOD: z
    .enum(["post", "put"], { error: "must be post (a browser form POST; AWS, MinIO, Ceph, Garage) or put (a presigned PUT; for stores without POST uploads such as Cloudflare R2 or Backblaze B2)" })
    .default("post"),
  S3_PUBLIC_BASE_URL: z.url("must be a URL such as https://cdn.example.com").optional(),
  CORS_ALLOWED_ORIGINS: optionalString,

  UPLOAD_MAX_BYTES: positiveInt(10 * 1024 * 1024),
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  /** The browser uploads a smaller upright copy when the picture is larger than any crop can use (components/upload-step.tsx). */
  UPLOAD_CLIENT_RESIZE: booleanString.default(true),
  /** The crop step appears at once from a local preview while the file uploads; false: only after upload and check. */
  UPLOAD_EARLY_CROP: booleanString.default(true),
  IMAGE_MAX_PIXELS: positiveInt(64_000_000),
  /** libvips's time on one picture (decode and crop), in whole seconds (sharp's timeout()); beyond it 422 image_too_slow. */
  IMAGE_DECODE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  UPLOADS_PER_HOUR: positiveInt(30),
  /** Crops one upload may have (each is four renditions in S3); counted in S3, so across instances. */
  CROPS_PER_UPLOAD: positiveInt(20),
  /** Saved avatars one user keeps; past it a save is refused until some are deleted. At most 1000: one S3 listing counts them. */
  AVATARS_PER_USER: z.coerce.number().int().min(1).max(1000).default(100),
  IMAGE_JOBS_MAX: positiveInt(2),
  IMAGE_QUEUE_MAX: z.coerce.number().int().min(0).default(8),
  /** One user's share of an instance's image jobs: running at once, and waiting (lib/limits/job-limiter.ts). */
  IMAGE_JOBS_PER_USER: positiveInt(1),
  IMAGE_QUEUE_PER_USER: z.coerce.number().int().min(0).default(2),
  /**
   * Whether the S3 honours `If-None-Match: *` on PutObject (the hourly quota then holds exactly):
   * auto probes it once per process; true/false skip the probe.
   */
  S3_CONDITIONAL_WRITES: z.enum(["auto", "true", "false"], { error: "must be auto, true or false" }).default("auto"),
  S3_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).default(10_000),

  INSTANCE_ID: optionalString,
  /** Bearer token for GET /api/metrics; unset, the endpoint does not exist (404). */
  METRICS_TOKEN: optionalString,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** After SIGTERM, how long in-flight requests may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(25),
});

const envSchema = envObject.superRefine((env, ctx) => {
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
    ctx.addIssue({
      code: "custom",
      path: [env.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"],
      message: "set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (to use the default AWS credential chain)",
    });
  }
  if (Boolean(env.AUTH_GITHUB_ID) !== Boolean(env.AUTH_GITHUB_SECRET)) {
    ctx.addIssue({ code: "custom", path: ["AUTH_GITHUB_SECRET"], message: "set both AUTH_GITHUB_ID and AUTH_GITHUB_SECRET, or neither" });
  }
  if (Boolean(env.AUTH_GOOGLE_ID) !== Boolean(env.AUTH_GOOGLE_SECRET)) {
    ctx.addIssue({ code: "custom", path: ["AUTH_GOOGLE_SECRET"], message: "set both AUTH_GOOGLE_ID and AUTH_GOOGLE_SECRET, or neither" });
  }
  if (env.IMAGE_JOBS_PER_USER > env.IMAGE_JOBS_MAX) {
    ctx.addIssue({ code: "custom", path: ["IMAGE_JOBS_PER_USER"], message: `must be at most IMAGE_JOBS_MAX (${env.IMAGE_JOBS_MAX}): it is one user's share of those slots` });
  }
  const oidc = [env.AUTH_OIDC_ISSUER, env.AUTH_OIDC_ID, env.AUTH_OIDC_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    const missing = (["AUTH_OIDC_ISSUER", "AUTH_OIDC_ID", "AUTH_OIDC_SECRET"] as const).find((_, i) => !oidc[i])!;
    ctx.addIssue({ code: "custom", path: [missing], message: "set AUTH_OIDC_ISSUER, AUTH_OIDC_ID and AUTH_OIDC_SECRET together, or none of them" });
  }
  if (env.AUTH_OIDC_ISSUER && URL.canParse(env.AUTH_OIDC_ISSUER)) checkIssuer(env.AUTH_OIDC_ISSUER, env.NODE_ENV === "production", ctx);
  if (env.NODE_ENV === "production") refuseUnsafeProductionSettings(env, ctx);
});

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The provider's keys and tokens come from its issuer URL: over plain http anyone on the way could
 * swap them and sign in as anyone. In production only https, or http to this machine (loopback:
 * nothing crosses a network; the sign-in test tiers run their provider so).
 */
function checkIssuer(issuer: string, production: boolean, ctx: z.RefinementCtx): void {
  const url = new URL(issuer);
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
  if (url.protocol === "https:" || (url.protocol === "http:" && (loopback || !production))) return;
  ctx.addIssue({ code: "custom", path: ["AUTH_OIDC_ISSUER"], message: "must be an https:// URL in production (plain http only to a loopback address such as 127.0.0.1)" });
}

type ParsedEnv = z.infer<typeof envSchema>;

/**
 * The committed development values (.env.development, and the fallback key below). Anyone who
 * reads the repository knows them, so with them a production deployment would let anyone mint a
 * session or compute user ids. lib/env.test.ts keeps this list in step with .env.development.
 */
export const DEVELOPMENT_SECRETS = {
  AUTH_SECRET: "development-only-secret-never-use-in-production",
  AUTH_USER_ID_KEY: "development-only-user-id-key-never-use-in-production",
} as const;

const MIN_SECRET_BYTES = 32;
const MIN_METRICS_TOKEN_CHARS = 32;
const GENERATE = "generate one with `openssl rand -base64 32`";

function refuseUnsafeProductionSettings(env: z.infer<typeof envObject>, ctx: z.RefinementCtx): void {
  // On Vercel the origin comes from each request (every preview has its own); nowhere else.
  if (!env.NEXTAUTH_URL && !env.VERCEL) {
    ctx.addIssue({ code: "custom", path: ["NEXTAUTH_URL"], message: "must be set in production: the app's public URL, e.g. https://avatars.example.com" });
  }
  for (const name of ["AUTH_SECRET", "AUTH_USER_ID_KEY"] as const) {
    const value = env[name];
    if (value === undefined) {
      ctx.addIssue({ code: "custom", path: [name], message: `must be set in production (${GENERATE}; keep it forever)` });
    } else if (value === DEVELOPMENT_SECRETS[name]) {
      ctx.addIssue({ code: "custom", path: [name], message: `is the development value committed to the repository; in production use your own (${GENERATE})` });
    } else if (Buffer.byteLength(value, "utf8") < MIN_SECRET_BYTES) {
      ctx.addIssue({ code: "custom", path: [name], message: `must be at least ${MIN_SECRET_BYTES} bytes in production (${GENERATE})` });
    }
  }
  // Anyone holding it reads the request counts and timings of every route: no guessable tokens.
  if (env.METRICS_TOKEN !== undefined && env.METRICS_TOKEN.length < MIN_METRICS_TOKEN_CHARS) {
    ctx.addIssue({ code: "custom", path: ["METRICS_TOKEN"], message: `must be at least ${MIN_METRICS_TOKEN_CHARS} characters in production (${GENERATE}), or unset to turn /api/metrics off` });
  }
}

export type Env = Omit<ParsedEnv, "AUTH_DEV_LOGIN" | "CORS_ALLOWED_ORIGINS" | "AUTH_USER_ID_KEY"> & {
  /** Set in production (checked above); outside production the development key stands in. */
  AUTH_USER_ID_KEY: string;
  /** Development sign-in (no password): on in development and test, off in production unless AUTH_DEV_LOGIN=true. */
  AUTH_DEV_LOGIN: boolean;
  /** Browser origins the bucket's CORS rules allow (defaults to NEXTAUTH_URL's origin); each may hold one `*` in its host. */
  CORS_ALLOWED_ORIGINS: string[];
};

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(raw: Record<string, string | undefined>): Env {
  // An empty value (`S3_ENDPOINT=` copied from .env.example) means "not set": use the default.
  const source = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const variable = issue.path.join(".") || "(environment)";
      const received = source[variable] === undefined ? " (not set)" : "";
      return `  ${variable}${received}: ${issue.message}`;
    });
    throw new EnvError(`Invalid configuration; fix these environment variables (see .env.example):\n${lines.join("\n")}`);
  }
  const env = result.data;
  const origins = (env.CORS_ALLOWED_ORIGINS ?? (env.NEXTAUTH_URL ? new URL(env.NEXTAUTH_URL).origin : ""))
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!isCorsOrigin(origin)) {
      throw new EnvError(`Invalid configuration:\n  CORS_ALLOWED_ORIGINS: "${origin}" is not an origin like https://app.example.com (or https://*-myteam.vercel.app: one * in the host)`);
    }
  }
  return {
    ...env,
    AUTH_DEV_LOGIN: env.AUTH_DEV_LOGIN ?? env.NODE_ENV !== "production",
    AUTH_USER_ID_KEY: env.AUTH_USER_ID_KEY ?? DEVELOPMENT_SECRETS.AUTH_USER_ID_KEY,
    CORS_ALLOWED_ORIGINS: origins,
  };
}

/**
 * An origin as S3 CORS rules take it: scheme, host and port, with at most one `*` in the host
 * (S3 allows one wildcard per AllowedOrigin), so every preview deployment's host can be allowed.
 */
export function isCorsOrigin(origin: string): boolean {
  const wildcards = origin.split("*").length - 1;
  if (wildcards > 1) return false;
  const sample = origin.replace("*", "wildcard");
  if (!URL.canParse(sample)) return false;
  const url = new URL(sample);
  if (url.origin !== sample || (url.protocol !== "https:" && url.protocol !== "http:")) return false;
  if (wildcards === 0) return true;
  // What follows the * must name a domain of its own ("-myteam.vercel.app"), so "https://*" or "https://*.com" do not allow every site.
  const suffix = url.hostname.split("wildcard")[1] ?? "";
  return url.hostname.includes("wildcard") && suffix.replace(/^[.-]/, "").includes(".");
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
