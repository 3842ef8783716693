import { describe, expect, it } from "vitest";

import { EnvError, parseEnv } from "./env";

const base = { AUTH_SECRET: "a-long-enough-test-secret", S3_BUCKET: "avatar-relay", NEXTAUTH_URL: "http://localhost:3000" };

describe("parseEnv", () => {
  it("applies sensible defaults", () => {
    const env = parseEnv(base);
    expect(env).toMatchObject({ S3_REGION: "us-east-1", S3_FORCE_PATH_STYLE: false, UPLOAD_MAX_BYTES: 10 * 1024 * 1024, AUTH_DEV_LOGIN: true });
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
    expect(parseEnv({ ...base, NODE_ENV: "production" }).AUTH_DEV_LOGIN).toBe(false);
    expect(parseEnv({ ...base, NODE_ENV: "production", AUTH_DEV_LOGIN: "true" }).AUTH_DEV_LOGIN).toBe(true);
    expect(parseEnv({ ...base, NODE_ENV: "development", AUTH_DEV_LOGIN: "false" }).AUTH_DEV_LOGIN).toBe(false);
  });

  it("treats empty values (copied from .env.example) as not set", () => {
    const env = parseEnv({ ...base, S3_ENDPOINT: "", AUTH_DEV_LOGIN: "", UPLOAD_MAX_BYTES: " ", NODE_ENV: "production" });
    expect(env.S3_ENDPOINT).toBeUndefined();
    expect(env.AUTH_DEV_LOGIN).toBe(false);
    expect(env.UPLOAD_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(() => parseEnv({ ...base, AUTH_SECRET: "" })).toThrow(/AUTH_SECRET \(not set\)/);
    expect(() => parseEnv({ ...base, S3_FORCE_PATH_STYLE: "yes" })).toThrow(/S3_FORCE_PATH_STYLE: must be true or false/);
  });

  it("reads booleans and lists", () => {
    const env = parseEnv({ ...base, S3_FORCE_PATH_STYLE: "true", CORS_ALLOWED_ORIGINS: "http://a.test, http://b.test:8080" });
    expect(env.S3_FORCE_PATH_STYLE).toBe(true);
    expect(env.CORS_ALLOWED_ORIGINS).toEqual(["http://a.test", "http://b.test:8080"]);
  });
});
