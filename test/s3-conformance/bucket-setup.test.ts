import {
  DeleteBucketLifecycleCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, test } from "vitest";

import { SESSION_MAX_AGE_DAYS } from "@/lib/auth/session-token";
import { corsRules, ENDED_SESSIONS_DAYS, lifecycleRules } from "@/tools/bucket/bucket-config";
import { applyBucketSetup, checkBucketSetup, type Finding } from "@/tools/bucket/bucket-setup";
import { SESSIONS_PREFIX, UPLOADS_PREFIX } from "@/lib/storage/keys";

import { createTestBucket, deleteEveryVersion, deleteTestBucket, describeS3, randomHex, sdkError, testClient } from "./support";

/**
 * `npm run s3:setup` / `npm run s3:check` (tools/bucket/bucket-setup.ts) against a real S3: setup
 * creates a bucket the app can use, and check notices, in words a person can act on, when CORS or
 * the lifecycle rule is missing or wrong.
 */

const APP_ORIGIN = "http://127.0.0.1:3100";
const OTHER_ORIGIN = "http://evil.example";

const errors = (findings: Finding[]) => findings.filter((f) => f.level === "error");
const about = (findings: Finding[], topic: string) => findings.filter((f) => f.topic === topic);
const show = (findings: Finding[]) => findings.map((f) => `${f.level} ${f.topic}: ${f.message}`).join("\n");

describeS3("bucket setup and check (npm run s3:setup / s3:check)", (t) => {
  let client: S3Client;
  // a name nobody created yet: setup must create it
  const bucket = `${t?.bucketPrefix}-setup-${Date.now().toString(36)}-${randomHex(4)}`.slice(0, 63).replace(/-+$/, "");
  let created = false;

  const setupTarget = () => ({ client, bucket, origins: [APP_ORIGIN], endpoint: t.endpoint, region: t.region, forcePathStyle: t.forcePathStyle });

  beforeAll(() => {
    client = testClient(t);
  });
  afterAll(async () => {
    if (created) await deleteTestBucket(client, bucket);
  });

  test("setup creates a missing bucket and applies the app's CORS and lifecycle rules", async () => {
    expect(await sdkError(client.send(new HeadBucketCommand({ Bucket: bucket })))).toMatchObject({ status: 404 });
    const findings = await applyBucketSetup(setupTarget());
    created = true;
    expect(errors(findings), show(findings)).toEqual([]);
    expect(findings).toContainEqual({ level: "ok", topic: "bucket", message: `bucket "${bucket}" created` });
    expect(about(findings, "cors").map((f) => f.level)).toEqual(["ok"]);
    // a real S3 implements lifecycle rules: "ok", not the "does not implement" warning
    expect(about(findings, "lifecycle").map((f) => f.level)).toEqual(["ok"]);

    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    const cors = await client.send(new GetBucketCorsCommand({ Bucket: bucket }));
    expect(cors.CORSRules?.map((r) => ({ AllowedOrigins: r.AllowedOrigins, AllowedMethods: r.AllowedMethods }))).toEqual(
      corsRules([APP_ORIGIN]).map((r) => ({ AllowedOrigins: r.AllowedOrigins, AllowedMethods: r.AllowedMethods })),
    );
    const lifecycle = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(lifecycle.Rules?.map((r) => [r.ID, r.Status, r.Filter?.Prefix, r.Expiration?.Days])).toEqual(
      lifecycleRules().map((r) => [r.ID, r.Status, r.Filter.Prefix, "Expiration" in r ? r.Expiration.Days : undefined]),
    );
    expect(lifecycle.Rules?.find((r) => r.Filter?.Prefix === SESSIONS_PREFIX)?.Expiration?.Days).toBe(ENDED_SESSIONS_DAYS);

    // applying again is harmless: the bucket now "exists"
    const again = await applyBucketSetup(setupTarget());
    expect(errors(again), show(again)).toEqual([]);
    expect(again).toContainEqual({ level: "ok", topic: "bucket", message: `bucket "${bucket}" exists` });
  });

  test("check of a freshly set-up bucket: no error, no warning; private, CORS (stored and preflight), lifecycle, conditional writes all ok", async () => {
    const findings = await checkBucketSetup(setupTarget());
    expect(findings.filter((f) => f.level !== "ok"), show(findings)).toEqual([]);
    for (const topic of ["bucket", "cors", "cors-preflight", "conditional-writes", "versioning", "private"]) {
      expect([topic, about(findings, topic).map((f) => f.level)]).toEqual([topic, ["ok"]]);
    }
    // one finding per rule: uploads/, then sessions/
    expect(about(findings, "lifecycle").map((f) => f.level)).toEqual(["ok", "ok"]);
    expect(about(findings, "lifecycle")[1]!.message).toContain(`records of ended sessions under ${SESSIONS_PREFIX} expire after ${ENDED_SESSIONS_DAYS} days`);
    expect(about(findings, "private")[0]!.message).toContain("anonymous reads are refused");
    console.log(`s3:check on this S3: ${about(findings, "conditional-writes")[0]!.message}`);
  });

  test("check says when S3_CONDITIONAL_WRITES contradicts what this S3 does (the hourly upload limit would not hold, or holds less well)", async () => {
    const honoured = about(await checkBucketSetup(setupTarget()), "conditional-writes")[0]!.message.startsWith("this S3 honours");
    const wrong = about(await checkBucketSetup({ ...setupTarget(), conditionalWrites: honoured ? "false" : "true" }), "conditional-writes");
    expect(wrong.map((f) => f.level)).toEqual([honoured ? "warn" : "error"]);
    expect(wrong[0]!.message).toMatch(/S3_CONDITIONAL_WRITES=(true|false).*set it to auto/);
  });

  test("a CORS rule for another origin: check reports an error naming the app's origin and the fix", async () => {
    await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: corsRules([OTHER_ORIGIN]) } }));
    const findings = await checkBucketSetup(setupTarget());
    const stored = about(findings, "cors");
    expect(stored.map((f) => f.level), show(findings)).toEqual(["error"]);
    expect(stored[0]!.message).toContain(`no CORS rule allows ${APP_ORIGIN}`);
    expect(stored[0]!.message).toContain("npm run s3:setup");
    expect(stored[0]!.message).toContain("infra/s3/cors.json");
    // and what a browser would see: the real preflight is refused too, with the same way out
    const preflight = about(findings, "cors-preflight");
    expect(preflight.map((f) => f.level)).toEqual(["error"]);
    expect(preflight[0]!.message).toContain(`a browser at ${APP_ORIGIN} would be refused`);
    expect(preflight[0]!.message).toContain("npm run s3:setup");
    expect(errors(findings).map((f) => f.topic).sort()).toEqual(["cors", "cors-preflight"]);

    // setup repairs it
    await applyBucketSetup(setupTarget());
    expect(errors(await checkBucketSetup(setupTarget()))).toEqual([]);
  });

  test("no lifecycle configuration: check warns that abandoned uploads and records of ended sessions pile up, and names the fix", async () => {
    await applyBucketSetup(setupTarget()); // CORS as the app needs it, whatever the test before left
    await client.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
    const findings = await checkBucketSetup(setupTarget());
    const lifecycle = about(findings, "lifecycle");
    expect(lifecycle.map((f) => f.level), show(findings)).toEqual(["warn"]);
    expect(lifecycle[0]!.message).toContain(`abandoned uploads under ${UPLOADS_PREFIX} and records of ended sessions under ${SESSIONS_PREFIX} will pile up`);
    expect(lifecycle[0]!.message).toContain("npm run s3:setup");
    expect(errors(findings), show(findings)).toEqual([]);
  });

  test("the uploads' rule without the sessions' (a bucket set up before it existed): check warns about sessions/ only", async () => {
    const uploadsOnly = lifecycleRules().filter((r) => r.Filter.Prefix === UPLOADS_PREFIX);
    await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: uploadsOnly } }));
    try {
      const lifecycle = about(await checkBucketSetup(setupTarget()), "lifecycle");
      expect(lifecycle.map((f) => f.level)).toEqual(["ok", "warn"]);
      expect(lifecycle[1]!.message).toContain(`no enabled rule expires ${SESSIONS_PREFIX}`);
      expect(lifecycle[1]!.message).toContain("npm run s3:setup");
    } finally {
      await applyBucketSetup(setupTarget());
    }
  });

  test("a rule that expires records of ended sessions before their sessions are over: check reports an error", async () => {
    const early = lifecycleRules().map((r) => (r.Filter.Prefix === SESSIONS_PREFIX ? { ...r, Expiration: { Days: SESSION_MAX_AGE_DAYS } } : r));
    await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: early } }));
    try {
      const sessions = about(await checkBucketSetup(setupTarget()), "lifecycle").filter((f) => f.message.includes(SESSIONS_PREFIX));
      expect(sessions.map((f) => f.level)).toEqual(["error"]);
      expect(sessions[0]!.message).toContain(`expire after ${SESSION_MAX_AGE_DAYS} day(s), while a session lives ${SESSION_MAX_AGE_DAYS}`);
    } finally {
      await applyBucketSetup(setupTarget());
    }
  });

  test("with S3_UPLOAD_METHOD=put: setup lets browsers PUT, and check proves the store refuses a larger body, another key and another type", async () => {
    const put = { ...setupTarget(), uploadMethod: "put" as const };
    await applyBucketSetup(put);
    try {
      const findings = await checkBucketSetup(put);
      expect(errors(findings), show(findings)).toEqual([]);
      expect(about(findings, "cors")[0]!.message).toContain("allows PUT and GET");
      expect(about(findings, "cors-preflight")[0]!.message).toContain("may PUT uploads");
      const upload = about(findings, "upload-put");
      expect(upload.map((f) => f.level), show(findings)).toEqual(["ok", "ok", "ok", "ok"]);
      for (const what of ["a body larger than signed", "another key than signed", "another Content-Type than signed"]) {
        expect(upload.some((f) => f.message.startsWith(`the store refuses a presigned PUT with ${what} (HTTP 403)`)), show(upload)).toBe(true);
      }
      // the POST check proves the same for the default method
      const post = about(await checkBucketSetup({ ...setupTarget(), uploadMethod: "post" }), "upload-post");
      expect(post.filter((f) => f.level !== "ok"), show(post)).toEqual([]);
    } finally {
      await applyBucketSetup(setupTarget());
    }
  });

  test("versioning on without a NoncurrentVersionExpiration rule: check reports an error saying deleted pictures stay as old versions; s3:setup run again adds the rule, then ok", async () => {
    const versioned = await createTestBucket(client, t, "versioned");
    const target = { ...setupTarget(), bucket: versioned };
    try {
      await applyBucketSetup(target);
      expect(about(await checkBucketSetup(target), "versioning").map((f) => f.level)).toEqual(["ok"]);
      await client.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: "Enabled" } }));
      const findings = await checkBucketSetup(target);
      const versioning = about(findings, "versioning");
      expect(versioning.map((f) => f.level), show(findings)).toEqual(["error"]);
      expect(versioning[0]!.message).toContain("bucket versioning is enabled and no lifecycle rule for the whole bucket has NoncurrentVersionExpiration");
      expect(versioning[0]!.message).toContain('"Delete my data" and expired uploads stay as old versions (originals with GPS data among them)');
      console.log(`s3:check, versioned bucket: ${versioning[0]!.message}`);

      // s3:setup run again, now that the bucket is versioned, adds the rule for old versions.
      const applied = await applyBucketSetup(target);
      expect(about(applied, "lifecycle")[0]!.message).toContain("and old versions (the bucket is versioned) after 1 day");
      const fixed = about(await checkBucketSetup(target), "versioning");
      expect(fixed.map((f) => f.level)).toEqual(["ok"]);
      expect(fixed[0]!.message).toContain('old versions expire after 1 day(s) (rule "expire-old-versions")');
    } finally {
      await deleteEveryVersion(client, versioned);
    }
  });
});
