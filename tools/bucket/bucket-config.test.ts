import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { SESSION_MAX_AGE_DAYS } from "@/lib/auth/session-token";
import { AVATARS_PREFIX, SESSIONS_PREFIX, sessionsEndedKey, UPLOADS_PREFIX } from "@/lib/storage/keys";

import { corsRules, lifecycleRules, sampleOrigin } from "./bucket-config";

const shipped = (name: string) => JSON.parse(readFileSync(new URL(`../../infra/s3/${name}`, import.meta.url), "utf8")) as unknown;

describe("bucket configuration files", () => {
  it("infra/s3/cors.json is what the setup command applies (for its example origin)", () => {
    expect(shipped("cors.json")).toEqual({ CORSRules: corsRules(["https://avatars.example.com"]) });
  });

  it("infra/s3/lifecycle.json is what the setup command applies, and lifecycle-versioned.json what it applies to a versioned bucket", () => {
    expect(shipped("lifecycle.json")).toEqual({ Rules: lifecycleRules() });
    expect(shipped("lifecycle-versioned.json")).toEqual({ Rules: lifecycleRules({ versioned: true }) });
  });

  it("records of ended sessions expire, but only after every session they ended is over", () => {
    expect(sessionsEndedKey("0123456789abcdef0123456789ab").startsWith(SESSIONS_PREFIX)).toBe(true);
    const rule = lifecycleRules().find((r) => r.Filter.Prefix === SESSIONS_PREFIX);
    expect(rule).toMatchObject({ Status: "Enabled", Expiration: { Days: 31 } });
    expect(rule && "Expiration" in rule && rule.Expiration.Days).toBeGreaterThan(SESSION_MAX_AGE_DAYS);
    // Nothing else under sessions/, and uploads/ keeps its day.
    expect(lifecycleRules().find((r) => r.Filter.Prefix === UPLOADS_PREFIX)).toMatchObject({ Expiration: { Days: 1 } });
  });

  it("old versions expire in a versioned bucket only: a store without versioning may refuse the rule (Garage)", () => {
    expect(lifecycleRules().some((r) => "NoncurrentVersionExpiration" in r)).toBe(false);
    const old = lifecycleRules({ versioned: true }).filter((r) => "NoncurrentVersionExpiration" in r);
    expect(old).toEqual([{ ID: "expire-old-versions", Status: "Enabled", Filter: { Prefix: "" }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }]);
  });

  it("CORS lets browsers POST uploads and GET pictures, nothing that changes or deletes", () => {
    const [rule] = corsRules(["https://a.example"]);
    expect(rule?.AllowedMethods.sort()).toEqual(["GET", "HEAD", "POST"]);
    expect(rule?.AllowedOrigins).toEqual(["https://a.example"]);
  });

  it("a wildcard origin goes into the rule as it is (S3 matches its one *), and s3:check preflights from a host it allows", () => {
    const [rule] = corsRules(["https://avatars.example.com", "https://*-myteam.vercel.app"]);
    expect(rule?.AllowedOrigins).toEqual(["https://avatars.example.com", "https://*-myteam.vercel.app"]);
    expect(sampleOrigin("https://*-myteam.vercel.app")).toBe("https://s3-check-myteam.vercel.app");
    expect(sampleOrigin("https://avatars.example.com")).toBe("https://avatars.example.com");
  });

  it("with S3_UPLOAD_METHOD=put, CORS lets browsers PUT uploads instead of POST", () => {
    const [rule] = corsRules(["https://a.example"], "put");
    expect(rule?.AllowedMethods.sort()).toEqual(["GET", "HEAD", "PUT"]);
  });

  it("the IAM policy grants only object access under the app's three prefixes and a prefix-limited listing", () => {
    const policy = shipped("iam-policy.json") as { Statement: { Sid: string; Action: string[]; Resource: string | string[] }[] };
    const actions = policy.Statement.flatMap((s) => s.Action).sort();
    expect(actions).toEqual(["s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
    // Every prefix the app writes under: "Delete my data" writes sessions/<user>/ended.json first.
    const objects = policy.Statement.find((s) => s.Sid === "AppObjects")?.Resource;
    expect([objects].flat().sort()).toEqual([AVATARS_PREFIX, SESSIONS_PREFIX, UPLOADS_PREFIX].map((prefix) => `arn:aws:s3:::YOUR-BUCKET/${prefix}*`).sort());
    const resources = policy.Statement.flatMap((s) => [s.Resource].flat());
    expect(resources.every((r) => r.startsWith("arn:aws:s3:::YOUR-BUCKET"))).toBe(true);
    expect(resources).not.toContain("*");
  });
});
