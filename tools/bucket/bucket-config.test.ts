import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { corsRules, lifecycleRules, sampleOrigin } from "./bucket-config";

const shipped = (name: string) => JSON.parse(readFileSync(new URL(`../../infra/s3/${name}`, import.meta.url), "utf8")) as unknown;

describe("bucket configuration files", () => {
  it("infra/s3/cors.json is what the setup command applies (for its example origin)", () => {
    expect(shipped("cors.json")).toEqual({ CORSRules: corsRules(["https://avatars.example.com"]) });
  });

  it("infra/s3/lifecycle.json is what the setup command applies", () => {
    expect(shipped("lifecycle.json")).toEqual({ Rules: lifecycleRules() });
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

  it("the IAM policy grants only object access under the app's two prefixes and a prefix-limited listing", () => {
    const policy = shipped("iam-policy.json") as { Statement: { Action: string[]; Resource: string | string[] }[] };
    const actions = policy.Statement.flatMap((s) => s.Action).sort();
    expect(actions).toEqual(["s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
    const resources = policy.Statement.flatMap((s) => [s.Resource].flat());
    expect(resources.every((r) => r.startsWith("arn:aws:s3:::YOUR-BUCKET"))).toBe(true);
    expect(resources).not.toContain("*");
  });
});
