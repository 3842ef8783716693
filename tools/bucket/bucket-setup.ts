import "server-only";

import { randomBytes } from "node:crypto";

import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";

import { getEnv } from "@/lib/env";
import { bucketUrl } from "@/lib/storage/bucket-url";
import { probeConditionalWrites, type ConditionalWriteSupport } from "@/lib/storage/conditional-writes";
import { SESSION_MAX_AGE_DAYS } from "@/lib/auth/session-token";
import { conditionalWriteProbeKey, SESSIONS_PREFIX, UPLOADS_PREFIX } from "@/lib/storage/keys";
import { createS3Client, s3SettingsFromEnv } from "@/lib/storage/s3-client";
import { s3ErrorName, s3StatusOf } from "@/lib/storage/s3-errors";
import type { UploadMethod } from "@/lib/storage/upload-target";

import {
  ABANDONED_UPLOAD_DAYS,
  corsRules,
  ENDED_SESSIONS_DAYS,
  lifecycleRules,
  LIFECYCLE_RULE_ID,
  NONCURRENT_VERSION_DAYS,
  sampleOrigin,
  SESSIONS_RULE_ID,
  uploadHttpMethod,
} from "./bucket-config";
import { uploadEnforcementFindings, versioningFinding } from "./upload-enforcement";

/**
 * Applies and checks the bucket settings the app needs, against any S3 endpoint. The check
 * observes behaviour (a real CORS preflight, a real anonymous GET) rather than trusting settings.
 */

export type Finding = { level: "ok" | "warn" | "error"; topic: string; message: string };

export type BucketTarget = {
  client: S3Client;
  bucket: string;
  origins: string[];
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  /** S3_CONDITIONAL_WRITES, to say whether the app's setting fits what this S3 does (default auto). */
  conditionalWrites?: "auto" | "true" | "false";
  /** S3_UPLOAD_METHOD: how browsers upload, so which method CORS must allow and the store must enforce (default post). */
  uploadMethod?: UploadMethod;
};
type Target = BucketTarget;

/** The bucket the app's configuration names (lib/env.ts), with its own client, for setup and checks. */
export function bucketTargetFromEnv(): BucketTarget {
  const settings = s3SettingsFromEnv();
  return {
    client: createS3Client(settings),
    bucket: settings.bucket,
    origins: getEnv().CORS_ALLOWED_ORIGINS,
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    conditionalWrites: getEnv().S3_CONDITIONAL_WRITES,
    uploadMethod: getEnv().S3_UPLOAD_METHOD,
  };
}

export async function applyBucketSetup(target: Target): Promise<Finding[]> {
  const findings: Finding[] = [];
  const { client, bucket } = target;
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    findings.push({ level: "ok", topic: "bucket", message: `bucket "${bucket}" exists` });
  } catch (error) {
    if (s3StatusOf(error) !== 404) throw error;
    const location = target.region !== "us-east-1" && !target.endpoint ? { LocationConstraint: target.region as never } : undefined;
    await client.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: location }));
    findings.push({ level: "ok", topic: "bucket", message: `bucket "${bucket}" created` });
  }

  if (target.origins.length === 0) {
    findings.push({ level: "error", topic: "cors", message: "no browser origin configured: set NEXTAUTH_URL or CORS_ALLOWED_ORIGINS" });
  } else {
    await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: corsRules(target.origins, target.uploadMethod) } }));
    findings.push({ level: "ok", topic: "cors", message: `CORS allows ${target.origins.join(", ")}` });
  }

  const versioning = await versioningOf(target);
  const versioned = versioning === true;
  if (typeof versioning === "object") {
    findings.push({
      level: "warn",
      topic: "lifecycle",
      message: `could not read the bucket's versioning (${versioning.unknown}; s3:GetBucketVersioning, infra/s3/iam-policy-setup.json): if it is on, old versions need the rule in infra/s3/lifecycle-versioned.json`,
    });
  }
  try {
    await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: lifecycleRules({ versioned }) } }));
    findings.push({
      level: "ok",
      topic: "lifecycle",
      message:
        `abandoned uploads under ${UPLOADS_PREFIX} expire after ${ABANDONED_UPLOAD_DAYS} day, records of ended sessions under ${SESSIONS_PREFIX} after ${ENDED_SESSIONS_DAYS} days` +
        (versioned ? `, and old versions (the bucket is versioned) after ${NONCURRENT_VERSION_DAYS} day` : ""),
    });
  } catch (error) {
    if (s3ErrorName(error) !== "NotImplemented") throw error;
    findings.push({
      level: "warn",
      topic: "lifecycle",
      message: `this S3 does not implement lifecycle rules: abandoned uploads under ${UPLOADS_PREFIX} will not expire by themselves`,
    });
  }
  return findings;
}

/**
 * Versioning enabled or suspended: old versions exist and need a rule. A store without versioning
 * (NotImplemented) has none; any other error leaves it unknown, which setup reports.
 */
async function versioningOf(target: Target): Promise<boolean | { unknown: string }> {
  try {
    const status = (await target.client.send(new GetBucketVersioningCommand({ Bucket: target.bucket }))).Status;
    return status === "Enabled" || status === "Suspended";
  } catch (error) {
    const name = s3ErrorName(error);
    return name === "NotImplemented" ? false : { unknown: name };
  }
}

export async function checkBucketSetup(target: Target): Promise<Finding[]> {
  const findings: Finding[] = [];
  const { client, bucket } = target;
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    findings.push({ level: "ok", topic: "bucket", message: `bucket "${bucket}" is reachable with the app's credentials` });
  } catch (error) {
    const status = s3StatusOf(error);
    const message =
      status === 404
        ? `bucket "${bucket}" does not exist: run \`npm run s3:setup\` or create it`
        : status === 403
          ? `access to bucket "${bucket}" is denied: check S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY and the IAM policy (infra/s3/iam-policy.json)`
          : `bucket "${bucket}" is not reachable at ${target.endpoint ?? "AWS"} (${s3ErrorName(error)}): check S3_ENDPOINT and the network`;
    return [{ level: "error", topic: "bucket", message }];
  }

  // CORS, as stored
  const upload = uploadHttpMethod(target.uploadMethod ?? "post");
  try {
    const cors = await client.send(new GetBucketCorsCommand({ Bucket: bucket }));
    for (const origin of target.origins) {
      const rule = (cors.CORSRules ?? []).find((r) => (r.AllowedOrigins ?? []).some((o) => o === origin || o === "*"));
      const methods = new Set(rule?.AllowedMethods ?? []);
      if (!rule) {
        findings.push({ level: "error", topic: "cors", message: `no CORS rule allows ${origin}: browsers cannot upload; run \`npm run s3:setup\` or add the rule from infra/s3/cors.json` });
      } else if (!methods.has(upload) || !methods.has("GET")) {
        findings.push({ level: "error", topic: "cors", message: `the CORS rule for ${origin} must allow ${upload} (uploads, S3_UPLOAD_METHOD=${upload.toLowerCase()}) and GET (previews); it allows ${[...methods].join(", ") || "nothing"}; run \`npm run s3:setup\`` });
      } else {
        findings.push({ level: "ok", topic: "cors", message: `CORS rule allows ${upload} and GET from ${origin}` });
      }
    }
  } catch (error) {
    findings.push({ level: "error", topic: "cors", message: `the bucket has no CORS configuration (${s3ErrorName(error)}): browsers cannot upload; run \`npm run s3:setup\`` });
  }

  // CORS, as a browser sees it: a real preflight for the upload (from a host a wildcard allows)
  for (const origin of target.origins.map(sampleOrigin)) {
    try {
      const response = await fetch(bucketUrl(target), {
        method: "OPTIONS",
        headers: { Origin: origin, "Access-Control-Request-Method": upload, ...(upload === "PUT" ? { "Access-Control-Request-Headers": "content-type" } : {}) },
        signal: AbortSignal.timeout(5_000),
      });
      const allowed = response.headers.get("access-control-allow-origin");
      if (response.ok && (allowed === origin || allowed === "*")) {
        findings.push({ level: "ok", topic: "cors-preflight", message: `a browser at ${origin} may ${upload} uploads (preflight ${response.status})` });
      } else {
        findings.push({ level: "error", topic: "cors-preflight", message: `a browser at ${origin} would be refused (preflight answered ${response.status}, Access-Control-Allow-Origin: ${allowed ?? "none"}): uploads from the app will fail; run \`npm run s3:setup\` or add the rule from infra/s3/cors.json` });
      }
    } catch (error) {
      findings.push({ level: "warn", topic: "cors-preflight", message: `could not send a preflight to ${bucketUrl(target)} (${s3ErrorName(error)})` });
    }
  }

  try {
    const lifecycle = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    const expiring = (prefix: string) => (lifecycle.Rules ?? []).find((r) => r.Status === "Enabled" && (r.Filter?.Prefix ?? r.Prefix) === prefix && r.Expiration?.Days);
    const rule = expiring(UPLOADS_PREFIX);
    findings.push(
      rule
        ? { level: "ok", topic: "lifecycle", message: `uploads under ${UPLOADS_PREFIX} expire after ${rule.Expiration?.Days} day(s) (rule "${rule.ID ?? LIFECYCLE_RULE_ID}")` }
        : { level: "warn", topic: "lifecycle", message: `no enabled rule expires ${UPLOADS_PREFIX}: abandoned uploads will pile up; run \`npm run s3:setup\`` },
    );
    const sessions = expiring(SESSIONS_PREFIX);
    const sessionDays = sessions?.Expiration?.Days ?? 0;
    findings.push(
      !sessions
        ? { level: "warn", topic: "lifecycle", message: `no enabled rule expires ${SESSIONS_PREFIX}: a record of ended sessions is kept for every user who ever used "Delete my data"; run \`npm run s3:setup\`` }
        : sessionDays <= SESSION_MAX_AGE_DAYS
          ? { level: "error", topic: "lifecycle", message: `records of ended sessions under ${SESSIONS_PREFIX} expire after ${sessionDays} day(s), while a session lives ${SESSION_MAX_AGE_DAYS}: a session "Delete my data" ended would count again; run \`npm run s3:setup\`` }
          : { level: "ok", topic: "lifecycle", message: `records of ended sessions under ${SESSIONS_PREFIX} expire after ${sessionDays} days (rule "${sessions.ID ?? SESSIONS_RULE_ID}")` },
    );
  } catch (error) {
    const name = s3ErrorName(error);
    findings.push({
      level: "warn",
      topic: "lifecycle",
      message:
        name === "NotImplemented"
          ? "this S3 does not implement lifecycle rules: abandoned uploads and records of ended sessions will not expire by themselves"
          : `no lifecycle rule (${name}): abandoned uploads under ${UPLOADS_PREFIX} and records of ended sessions under ${SESSIONS_PREFIX} will pile up; run \`npm run s3:setup\``,
    });
  }

  findings.push(await conditionalWritesFinding(target));
  findings.push(...(await uploadEnforcementFindings(target)));
  findings.push(await versioningFinding(target));

  // Privacy, as an anonymous visitor sees it
  const probeKey = `${UPLOADS_PREFIX}setup-check-${Date.now()}`;
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: probeKey, Body: "probe", ContentType: "text/plain" }));
    const response = await fetch(`${bucketUrl(target)}/${probeKey}`, { signal: AbortSignal.timeout(5_000) });
    findings.push(
      response.status === 403 || response.status === 401
        ? { level: "ok", topic: "private", message: "anonymous reads are refused (the bucket is private)" }
        : { level: "error", topic: "private", message: `an anonymous GET of an object answered ${response.status}: the bucket must be private (remove public ACLs/policies, enable Block Public Access)` },
    );
  } catch (error) {
    findings.push({ level: "warn", topic: "private", message: `could not test anonymous access (${s3ErrorName(error)})` });
  } finally {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: probeKey })).catch(() => undefined);
  }
  return findings;
}

/** What this S3 does with If-None-Match on PutObject, and so how exactly the hourly upload limit holds. */
async function conditionalWritesFinding(target: Target): Promise<Finding> {
  const topic = "conditional-writes";
  let support: ConditionalWriteSupport;
  try {
    support = await probeConditionalWrites(target.client, target.bucket, conditionalWriteProbeKey(randomBytes(8).toString("hex")));
  } catch (error) {
    return { level: "warn", topic, message: `could not test If-None-Match on PutObject (${s3ErrorName(error)})` };
  }
  const mode = target.conditionalWrites ?? "auto";
  if (support.kind === "honoured") {
    return mode === "false"
      ? { level: "warn", topic, message: `this S3 honours If-None-Match on PutObject, but S3_CONDITIONAL_WRITES=false: the hourly upload limit is counted and a burst may admit fewer; set it to auto` }
      : { level: "ok", topic, message: "this S3 honours If-None-Match on PutObject: the hourly upload limit holds exactly under a burst" };
  }
  return mode === "true"
    ? { level: "error", topic, message: `S3_CONDITIONAL_WRITES=true, but on this S3 ${support.detail}: the hourly upload limit would not hold; set it to auto` }
    : { level: "ok", topic, message: `on this S3 ${support.detail}: the hourly upload limit is counted (never more than UPLOADS_PER_HOUR; a burst may admit fewer)` };
}

export function formatFindings(findings: Finding[]): string {
  const mark = { ok: "ok   ", warn: "WARN ", error: "ERROR" } as const;
  return findings.map((f) => `${mark[f.level]} ${f.topic}: ${f.message}`).join("\n");
}
