import "server-only";

import { randomBytes } from "node:crypto";

import { DeleteObjectCommand, GetBucketLifecycleConfigurationCommand, GetBucketVersioningCommand, type S3Client } from "@aws-sdk/client-s3";

import { uploadRequest } from "@/lib/client/upload-to-s3";
import { UPLOADS_PREFIX } from "@/lib/storage/keys";
import { presignUploadWith } from "@/lib/storage/presign-upload";
import { s3ErrorName } from "@/lib/storage/s3-errors";
import type { PresignedUpload, UploadMethod } from "@/lib/storage/upload-target";

import type { Finding } from "./bucket-setup";

/**
 * What `npm run s3:check` proves on the real store beyond its settings: that it refuses the
 * browser uploads the app did not sign (the browser's very requests, from lib/client), and that a
 * versioned bucket does not keep deleted pictures forever.
 */

type Store = { client: S3Client; bucket: string; uploadMethod?: UploadMethod };

const PROBE_TYPE = "image/png";
const PROBE_SIZE = 16;

const probeBytes = (size: number) => new Uint8Array(size).fill(7);

/** The same signed upload, sent to another key or with another type (what a lying browser would do). */
function altered(upload: PresignedUpload, key: string, change: { key?: string; contentType?: string }): PresignedUpload {
  if (upload.method === "post") {
    return { ...upload, fields: { ...upload.fields, ...(change.key ? { key: change.key } : {}), ...(change.contentType ? { "Content-Type": change.contentType } : {}) } };
  }
  const url = new URL(upload.url);
  if (change.key) url.pathname = url.pathname.replace(new RegExp(`/${key}$`), `/${change.key}`);
  return { ...upload, url: url.toString(), headers: { ...upload.headers, ...(change.contentType ? { "Content-Type": change.contentType } : {}) } };
}

async function send(upload: PresignedUpload, size: number): Promise<number> {
  const request = uploadRequest(upload, new Blob([probeBytes(size)], { type: PROBE_TYPE }));
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return response.status;
}

/** A valid upload goes through, and a larger body, another key and another type are refused, by the store itself. */
export async function uploadEnforcementFindings(store: Store): Promise<Finding[]> {
  const method = store.uploadMethod ?? "post";
  const topic = `upload-${method}`;
  const verb = method.toUpperCase();
  const key = `${UPLOADS_PREFIX}setup-check-${randomBytes(8).toString("hex")}/original`;
  const otherKey = `${UPLOADS_PREFIX}setup-check-${randomBytes(8).toString("hex")}/original`;
  const sign = () => presignUploadWith(store.client, store.bucket, method, key, { contentType: PROBE_TYPE, size: PROBE_SIZE, expiresIn: 60 });
  const cleanUp = () => Promise.all([key, otherKey].map((k) => store.client.send(new DeleteObjectCommand({ Bucket: store.bucket, Key: k })).catch(() => undefined)));
  const findings: Finding[] = [];
  try {
    const valid = await send(await sign(), PROBE_SIZE);
    if (valid === 501 && method === "post") {
      return [{ level: "error", topic, message: "this store has no browser POST uploads: set S3_UPLOAD_METHOD=put (it answered 501 Not Implemented to a presigned POST; Cloudflare R2 and Backblaze B2 do)" }];
    }
    if (valid >= 300) {
      return [{ level: "error", topic, message: `a valid presigned ${verb} upload was refused (HTTP ${valid}): browsers cannot upload; check S3_UPLOAD_METHOD and the store's support for presigned ${verb}` }];
    }
    findings.push({ level: "ok", topic, message: `a presigned ${verb} upload of the announced size and type is accepted (HTTP ${valid})` });
    await cleanUp();

    const probes = [
      { what: "a body larger than signed", upload: await sign(), size: PROBE_SIZE + 1, consequence: "users could store files larger than they announced (up to the app's own UPLOAD_MAX_BYTES check)" },
      { what: "another key than signed", upload: altered(await sign(), key, { key: otherKey }), size: PROBE_SIZE, consequence: "a signed upload could write anywhere the app's credentials may, other users' files included" },
      { what: "another Content-Type than signed", upload: altered(await sign(), key, { contentType: "text/html" }), size: PROBE_SIZE, consequence: "files could be stored and served with a type the app did not sign, such as text/html" },
    ];
    for (const probe of probes) {
      const status = await send(probe.upload, probe.size);
      await cleanUp();
      findings.push(
        status >= 300
          ? { level: "ok", topic, message: `the store refuses a presigned ${verb} with ${probe.what} (HTTP ${status})` }
          : { level: "error", topic, message: `the store accepted a presigned ${verb} with ${probe.what} (HTTP ${status}): it does not enforce what the app signs, so in production ${probe.consequence}; use a store that enforces presigned ${verb} uploads` },
      );
    }
  } catch (error) {
    findings.push({ level: "warn", topic, message: `could not test presigned ${verb} uploads (${s3ErrorName(error)})` });
  } finally {
    await cleanUp();
  }
  return findings;
}

/** Versioning keeps every deleted or replaced object as an old version: without a rule that expires them, "deleted" is not deleted. */
export async function versioningFinding(store: Store): Promise<Finding> {
  const topic = "versioning";
  let status: string | undefined;
  try {
    status = (await store.client.send(new GetBucketVersioningCommand({ Bucket: store.bucket }))).Status;
  } catch (error) {
    return { level: "warn", topic, message: `could not read the bucket's versioning (${s3ErrorName(error)}): if it is on, deleted pictures stay as old versions` };
  }
  if (status !== "Enabled" && status !== "Suspended") return { level: "ok", topic, message: "bucket versioning is off: deleted pictures are gone" };
  const rules = await store.client
    .send(new GetBucketLifecycleConfigurationCommand({ Bucket: store.bucket }))
    .then((out) => out.Rules ?? [])
    .catch(() => []);
  const expiring = rules.find((r) => r.Status === "Enabled" && r.NoncurrentVersionExpiration?.NoncurrentDays !== undefined && !(r.Filter?.Prefix ?? r.Prefix));
  if (expiring) {
    return { level: "ok", topic, message: `bucket versioning is ${status.toLowerCase()}, and old versions expire after ${expiring.NoncurrentVersionExpiration!.NoncurrentDays} day(s) (rule "${expiring.ID ?? "unnamed"}")` };
  }
  return {
    level: status === "Enabled" ? "error" : "warn",
    topic,
    message: `bucket versioning is ${status.toLowerCase()} and no lifecycle rule for the whole bucket has NoncurrentVersionExpiration: deleted avatars, "Delete my data" and expired uploads stay as old versions (originals with GPS data among them); add such a rule or turn versioning off`,
  };
}
