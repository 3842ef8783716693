/**
 * Shared set-up for the S3 conformance suite (`npm run test:conformance`, or
 * `npx vitest run --project conformance` with the variables below set).
 *
 * The suite pins the S3 behaviour the app relies on, against a real S3-compatible server named by
 * the S3_TEST_* variables (test/harness/s3-target.ts). Unset => every test is SKIPPED (reported as
 * skipped, never as passed). Each test file creates `<S3_TEST_BUCKET, default avatar-relay-conf>-<file>-<random>`
 * and deletes it at the end. S3_TEST_LC_DAY_SECONDS enables the test that waits for a real expiry.
 */
import { randomBytes } from "node:crypto";

import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe } from "vitest";

import { objectUrl as bucketObjectUrl } from "@/lib/storage/bucket-url";
import { createS3Client } from "@/lib/storage/s3-client";
import { s3StatusOf } from "@/lib/storage/s3-errors";
import { s3TargetFromEnv, type S3Target } from "@/test/harness/s3-target";

export type Target = S3Target & { bucketPrefix: string };

function readTarget(): Target | undefined {
  const found = s3TargetFromEnv();
  return found && { ...found, bucketPrefix: (found.bucket ?? "avatar-relay-conf").toLowerCase() };
}

export const target = readTarget();

export const NOT_RUN_REASON = "S3_TEST_ENDPOINT is not set (run `npm run test:conformance`, which starts Ceph RGW if it is installed)";

/**
 * `describe` that is skipped, loudly, when there is no S3 to test against: vitest then reports the
 * tests as skipped, never as passed.
 */
export function describeS3(name: string, body: (target: Target) => void): void {
  if (!target) {
    console.warn(`S3 conformance suite DID NOT RUN (${name}): ${NOT_RUN_REASON}`);
    describe.skip(name, () => body(undefined as unknown as Target));
    return;
  }
  const t = target;
  describe(name, () => body(t));
}

/** A client configured exactly like the app's (lib/storage/s3-client.ts), pointed at the test target. */
export function testClient(t: Target): S3Client {
  const client = createS3Client({
    bucket: "unused",
    region: t.region,
    endpoint: t.endpoint,
    forcePathStyle: t.forcePathStyle,
    accessKeyId: t.accessKeyId,
    secretAccessKey: t.secretAccessKey,
  });
  // SDK errors carry the whole HTTP response; vitest would print all of it. Keep name, status, message.
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const e = error as { name?: string; message?: string };
        const status = s3StatusOf(error);
        const compact = new Error(`${e?.name ?? "Error"} (HTTP ${status ?? "no response"}): ${e?.message ?? String(error)}`);
        compact.name = e?.name ?? "Error";
        Object.assign(compact, { $metadata: { httpStatusCode: status } });
        throw compact;
      }
    },
    { step: "initialize", name: "conformanceCompactErrors" },
  );
  return client;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

export async function createTestBucket(client: S3Client, t: Target, tag: string): Promise<string> {
  const name = `${t.bucketPrefix}-${tag}-${Date.now().toString(36)}-${randomHex(4)}`.slice(0, 63).replace(/-+$/, "");
  await client.send(
    new CreateBucketCommand({
      Bucket: name,
      CreateBucketConfiguration: t.region === "us-east-1" ? undefined : { LocationConstraint: t.region as never },
    }),
  );
  return name;
}

/**
 * A fresh bucket for one describe block: created (and prepared by `prepare`) before its tests,
 * emptied and deleted after them. `use` receives the client and the bucket's name.
 */
export function useTestBucket(t: Target, tag: string, use: (client: S3Client, bucket: string) => void, prepare?: (client: S3Client, bucket: string) => Promise<unknown>): void {
  let client: S3Client | undefined;
  let bucket: string | undefined;
  beforeAll(async () => {
    client = testClient(t);
    bucket = await createTestBucket(client, t, tag);
    use(client, bucket);
    await prepare?.(client, bucket);
  });
  afterAll(async () => {
    if (client && bucket) await deleteTestBucket(client, bucket);
  });
}

/** Whether an object exists (HEAD: 200 yes, 404 no, anything else is thrown). */
export async function objectExists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (s3StatusOf(error) === 404) return false;
    throw error;
  }
}

/** Deletes every object, then the bucket. */
export async function deleteTestBucket(client: S3Client, bucket: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    await Promise.all((page.Contents ?? []).map((item) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: item.Key }))));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/** A versioned bucket keeps old versions and delete markers: each must go before the bucket can. */
export async function deleteEveryVersion(client: S3Client, bucket: string): Promise<void> {
  const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  const versions = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
  await Promise.all(versions.map((v) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: v.Key, VersionId: v.VersionId }))));
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/** URL of a bucket or object, for anonymous requests. */
export function objectUrl(t: Target, bucket: string, key = ""): string {
  return bucketObjectUrl({ bucket, region: t.region, endpoint: t.endpoint, forcePathStyle: t.forcePathStyle }, key);
}

export type HttpResult = { status: number; code?: string; body: string; headers: Headers };

/** The `<Code>` of an S3 XML error body (never the message: its wording differs between servers). */
export function errorCode(body: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}

export async function httpResult(response: Response): Promise<HttpResult> {
  const body = await response.text();
  return { status: response.status, code: errorCode(body), body, headers: response.headers };
}

/** Status and error name of a failing SDK call (the name is the S3 `<Code>`, or e.g. NotFound for HEAD). */
export async function sdkError(promise: Promise<unknown>): Promise<{ status?: number; name: string }> {
  try {
    await promise;
  } catch (error) {
    return { status: s3StatusOf(error), name: (error as { name: string }).name };
  }
  throw new Error("expected the S3 call to fail, but it succeeded");
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bytes that look like a PNG to a sniffer but are just filler; S3 does not care. */
export function fakeImage(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].slice(0, size));
  for (let i = 8; i < size; i++) bytes[i] = i % 251;
  return bytes;
}
