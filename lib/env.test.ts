import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { PRODUCTION_TEST_ENV } from "@/test/harness/production-env";

import { DEVELOPMENT_SECRETS, EnvError, parseEnv } from "./env";

const base = { AUTH_SECRET: "a-long-enough-test-secret", S3_BUCKET: "avatar-relay", NEXTAUTH_URL: "http://localhost:3000" };
/** What production adds: secrets of at least 32 bytes. */
const productionBase = { ...base, ...PRODUCTION_TEST_ENV, NEXTAUTH_URL: base.NEXTAUTH_URL };

describe("parseEnv", () => {
  it("applies sensible defaults", () => {
    const env = parseEnv(base);
    expect(env).toMatchObject({ S3_REGION: "us-east-1", S3_FORCE_PATH_STYLE: false, UPLOAD_MAX_BYTES: 10 * 1024 * 1024, AUTH_DEV_LOGIN: true, UPLOAD_CLIENT_RESIZE: true, UPLOAD_EARLY_CROP: true });
    expect(env.CORS_ALLOWED_ORIGINS).toEqual(["http://localhost:3000"]);
  });

  it("names the variable that is missing or wrong", () => {
    expect(() => parseEnv({ ...base, S3_BUCKET: undefined })).toThrow(/S3_BUCKET \(not set\)/);
    expect(() => parseEnv({ ...base, S3_BUCKET: "Bad_Bucket" })).toThrow(/S3_BUCKET: must be a valid S3 bucket name/);
    expect(() => parseEnv({ ...base, S3_ENDPOINT: "not a url" })).toThrow(/S3_ENDPOINT/);
    expect(() => parseEnv({ ...base, UPLOAD_MAX_BYTES: "-5" })).toThrow(/UPLOAD_MAX_BYTES/);
    expect(() => parseEnv({ ...base, AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET: must be at least 16/);
    expect(() => parseEnv({ ...base, S3_ACCESS_KEY_ID: "key" })).toThrow(/S3_SECRET_ACCESS_KEY \(not set\): set both/);
    expect(() => parseEnv({ ...base, CORS_ALLOWED_ORIGINS: "http://ok.example, https://bad.example/path" })).toThrow(/CORS_ALLOWED_ORIGINS/);
    expect(() => parseEnv({})).toThrow(EnvError);
  });

  it("keeps the development sign-in off in production unless explicitly enabled", () => {
    expect(parseEnv(productionBase).AUTH_DEV_LOGIN).toBe(false);
    expect(parseEnv({ ...productionBase, AUTH_DEV_LOGIN: "true" }).AUTH_DEV_LOGIN).toBe(true);
    expect(parseEnv({ ...base, NODE_ENV: "development", AUTH_DEV_LOGIN: "false" }).AUTH_DEV_LOGIN).toBe(false);
  });

  it("treats empty values (copied from .env.example) as not set", () => {
    const env = parseEnv({ ...productionBase, S3_ENDPOINT: "", AUTH_DEV_LOGIN: "", UPLOAD_MAX_BYTES: " " });
    expect(env.S3_ENDPOINT).toBeUndefined();
    expect(env.AUTH_DEV_LOGIN).toBe(false);
    expect(env.UPLOAD_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(() => parseEnv({ ...base, AUTH_SECRET: "" })).toThrow(/AUTH_SECRET \(not set\)/);
    expect(() => parseEnv({ ...base, S3_FORCE_PATH_STYLE: "yes" })).toThrow(/S3_FORCE_PATH_STYLE: must be true or false/);
  });

  it("gives each user a share of an instance's image jobs that leaves the other slots to others", () => {
    expect(parseEnv(base)).toMatchObject({ IMAGE_JOBS_MAX: 2, IMAGE_JOBS_PER_USER: 1, IMAGE_QUEUE_MAX: 8, IMAGE_QUEUE_PER_USER: 2, CROPS_PER_UPLOAD: 20 });
    expect(() => parseEnv({ ...base, IMAGE_JOBS_MAX: "2", IMAGE_JOBS_PER_USER: "3" })).toThrow(/IMAGE_JOBS_PER_USER: must be at most IMAGE_JOBS_MAX \(2\)/);
    expect(parseEnv({ ...base, IMAGE_JOBS_MAX: "1" }).IMAGE_JOBS_PER_USER).toBe(1);
    expect(() => parseEnv({ ...base, CROPS_PER_UPLOAD: "0" })).toThrow(/CROPS_PER_UPLOAD/);
  });

  it("probes conditional writes unless told", () => {
    expect(parseEnv(base).S3_CONDITIONAL_WRITES).toBe("auto");
    expect(parseEnv({ ...base, S3_CONDITIONAL_WRITES: "false" }).S3_CONDITIONAL_WRITES).toBe("false");
    expect(() => parseEnv({ ...base, S3_CONDITIONAL_WRITES: "yes" })).toThrow(/S3_CONDITIONAL_WRITES: must be auto, true or false/);
  });

  it("uploads with a form POST unless told to PUT, and names the stores each is for when the value is wrong", () => {
    expect(parseEnv(base).S3_UPLOAD_METHOD).toBe("post");
    expect(parseEnv({ ...base, S3_UPLOAD_METHOD: "put" }).S3_UPLOAD_METHOD).toBe("put");
    expect(() => parseEnv({ ...base, S3_UPLOAD_METHOD: "PUT" })).toThrow(/S3_UPLOAD_METHOD: must be post .* or put .*Cloudflare R2/);
  });

  it("reads booleans and lists", () => {
    const env = parseEnv({ ...base, S3_FORCE_PATH_STYLE: "true", CORS_ALLOWED_ORIGINS: "http://a.test, http://b.test:8080" });
    expect(env.S3_FORCE_PATH_STYLE).toBe(true);
    expect(env.CORS_ALLOWED_ORIGINS).toEqual(["http://a.test", "http://b.test:8080"]);
  });
});

describe("parseEnv in production", () => {
  const production = PRODUCTION_TEST_ENV;

  it("accepts a complete production configuration", () => {
    expect(parseEnv(production)).toMatchObject({ AUTH_DEV_LOGIN: false, AUTH_USER_ID_KEY: "u".repeat(32) });
  });

  it("refuses the committed development secrets, naming the variable", () => {
    expect(() => parseEnv({ ...production, AUTH_SECRET: DEVELOPMENT_SECRETS.AUTH_SECRET })).toThrow(/AUTH_SECRET: is the development value committed/);
    expect(() => parseEnv({ ...production, AUTH_USER_ID_KEY: DEVELOPMENT_SECRETS.AUTH_USER_ID_KEY })).toThrow(/AUTH_USER_ID_KEY: is the development value/);
  });

  it("refuses secrets shorter than 32 bytes and missing ones", () => {
    expect(() => parseEnv({ ...production, AUTH_SECRET: "k".repeat(31) })).toThrow(/AUTH_SECRET: must be at least 32 bytes in production/);
    expect(() => parseEnv({ ...production, AUTH_USER_ID_KEY: "short-key-0123456789" })).toThrow(/AUTH_USER_ID_KEY: must be at least 32 bytes/);
    expect(() => parseEnv({ ...production, AUTH_USER_ID_KEY: undefined })).toThrow(/AUTH_USER_ID_KEY \(not set\): must be set in production/);
  });

  it("takes a metrics token of at least 32 characters, or none (the endpoint is then off)", () => {
    expect(parseEnv(production).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ ...production, METRICS_TOKEN: "m".repeat(32) }).METRICS_TOKEN).toBe("m".repeat(32));
    expect(() => parseEnv({ ...production, METRICS_TOKEN: "m".repeat(31) })).toThrow(/METRICS_TOKEN: must be at least 32 characters in production/);
    expect(parseEnv({ ...base, METRICS_TOKEN: "dev" }).METRICS_TOKEN).toBe("dev");
  });

  it("refuses a missing NEXTAUTH_URL, except on Vercel, where each request names its origin", () => {
    expect(() => parseEnv({ ...production, NEXTAUTH_URL: undefined })).toThrow(/NEXTAUTH_URL \(not set\): must be set in production/);
    expect(() => parseEnv({ ...production, NEXTAUTH_URL: undefined, VERCEL: "" })).toThrow(/NEXTAUTH_URL \(not set\)/);
    const vercel = parseEnv({ ...production, NEXTAUTH_URL: undefined, VERCEL: "1", VERCEL_ENV: "preview" });
    expect(vercel).toMatchObject({ VERCEL: true, CORS_ALLOWED_ORIGINS: [] });
    expect(vercel.NEXTAUTH_URL).toBeUndefined();
    expect(parseEnv(production).VERCEL).toBe(false);
  });

  it("takes CORS origins with one * in the host, as S3 CORS rules do, and nothing looser", () => {
    const env = parseEnv({ ...base, CORS_ALLOWED_ORIGINS: "https://avatars.example.com, https://*-myteam.vercel.app, http://*.app.test:3000" });
    expect(env.CORS_ALLOWED_ORIGINS).toEqual(["https://avatars.example.com", "https://*-myteam.vercel.app", "http://*.app.test:3000"]);
    for (const bad of ["*", "https://*", "https://*.com", "https://*-a.*.vercel.app", "https://*.vercel.app/path", "https://a.vercel.app:*", "*://a.example", "ftp://*.example.com"]) {
      expect(() => parseEnv({ ...base, CORS_ALLOWED_ORIGINS: bad }), bad).toThrow(/CORS_ALLOWED_ORIGINS: ".*" is not an origin/);
    }
  });

  it("keeps the development values working outside production", () => {
    const env = parseEnv({ ...base, AUTH_SECRET: DEVELOPMENT_SECRETS.AUTH_SECRET });
    expect(env.AUTH_USER_ID_KEY).toBe(DEVELOPMENT_SECRETS.AUTH_USER_ID_KEY);
  });

  it("lists exactly the secrets that .env.development commits", () => {
    const committed = Object.fromEntries(
      readFileSync(new URL("../.env.development", import.meta.url), "utf8")
        .split("\n")
        .map((line) => /^(AUTH_SECRET|AUTH_USER_ID_KEY)=(.*)$/.exec(line.trim()))
        .filter((match) => match !== null)
        .map((match) => [match[1], match[2]]),
    );
    expect(committed).toEqual(DEVELOPMENT_SECRETS);
  });

  it("needs all three OpenID Connect variables or none", () => {
    const oidc = { AUTH_OIDC_ISSUER: "https://sso.example.com", AUTH_OIDC_ID: "avatar-relay", AUTH_OIDC_SECRET: "s" };
    expect(parseEnv({ ...production, ...oidc })).toMatchObject({ ...oidc, AUTH_OIDC_NAME: "Single sign-on" });
    expect(() => parseEnv({ ...production, ...oidc, AUTH_OIDC_SECRET: undefined })).toThrow(/AUTH_OIDC_SECRET \(not set\): set AUTH_OIDC_ISSUER/);
    expect(() => parseEnv({ ...production, ...oidc, AUTH_OIDC_ISSUER: "sso" })).toThrow(/AUTH_OIDC_ISSUER: must be the provider's issuer URL/);
  });

  it("refuses a plain-http issuer in production, naming the variable; loopback http stays allowed (the sign-in tiers' provider)", () => {
    const oidc = { AUTH_OIDC_ID: "avatar-relay", AUTH_OIDC_SECRET: "s" };
    expect(() => parseEnv({ ...production, ...oidc, AUTH_OIDC_ISSUER: "http://sso.example.com/realms/main" })).toThrow(/AUTH_OIDC_ISSUER: must be an https:\/\/ URL in production/);
    expect(() => parseEnv({ ...production, ...oidc, AUTH_OIDC_ISSUER: "ftp://sso.example.com" })).toThrow(/AUTH_OIDC_ISSUER: must be an https:\/\/ URL/);
    for (const issuer of ["http://127.0.0.1:4610", "http://localhost:8080/realms/dev", "http://[::1]:4610"]) {
      expect(parseEnv({ ...production, ...oidc, AUTH_OIDC_ISSUER: issuer }).AUTH_OIDC_ISSUER).toBe(issuer);
    }
    expect(parseEnv({ ...production, ...oidc, NODE_ENV: "development", AUTH_OIDC_ISSUER: "http://keycloak:8080/realms/dev" }).AUTH_OIDC_ISSUER).toBe("http://keycloak:8080/realms/dev");
  });
});
