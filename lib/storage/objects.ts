import "server-only";

import type { Readable } from "node:stream";

import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

import { describeOverLimit } from "@/lib/bytes";
import { AppError } from "@/lib/errors";

import type { DownloadLease } from "./download-buffers";
import { AVATARS_PREFIX } from "./keys";
import { readBody } from "./read-body";
import { getS3 } from "./s3-client";
import { presignUploadWith, type UploadSigning } from "./presign-upload";
import type { PresignedUpload, UploadMethod } from "./upload-target";
import { isConditionalConflict, isNotFound, isPreconditionFailed, isServerFault, isStorageUnavailable, s3StatusOf } from "./s3-errors";

/** S3 operations the use cases need, with S3's failures translated into AppErrors. */

/** Anything that is not an S3 answer (refused connection, timeout, DNS) means storage is unavailable. */
function translate(error: unknown): never {
  if (isStorageUnavailable(error)) throw new AppError("storage_unavailable", undefined, { cause: error });
  throw error;
}

export type ObjectInfo = { size: number; contentType?: string; metadata: Record<string, string>; lastModified?: Date };

export async function headObject(key: string): Promise<ObjectInfo | null> {
  const { client, bucket } = getS3();
  try {
    const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: out.ContentLength ?? 0, contentType: out.ContentType, metadata: out.Metadata ?? {}, lastModified: out.LastModified };
  } catch (error) {
    if (isNotFound(error)) return null;
    return translate(error);
  }
}

/**
 * Reads a whole object, refusing to buffer more than maxBytes (S3 that ignored a policy cannot make
 * us). `signal` abandons the download (request and body) when the bytes are no longer wanted.
 * `into` downloads into a reused buffer (lib/storage/download-buffers.ts): the bytes are then valid
 * only until that lease's work settles.
 */
export function getObjectBytes(key: string, maxBytes: number, options: { signal?: AbortSignal; into?: DownloadLease } = {}): Promise<Buffer | null> {
  const download = downloadObject(key, maxBytes, options.signal, options.into);
  options.into?.track(download);
  return download;
}

async function downloadObject(key: string, maxBytes: number, signal: AbortSignal | undefined, into: DownloadLease | undefined): Promise<Buffer | null> {
  const { client, bucket } = getS3();
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    if ((out.ContentLength ?? 0) > maxBytes) {
      out.Body?.transformToWebStream().cancel().catch(() => undefined);
      throw new AppError("file_too_large", `The file ${describeOverLimit(out.ContentLength ?? 0, maxBytes)}`);
    }
    return await readBody(out.Body as Readable, out.ContentLength, maxBytes, into?.buffer);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (isNotFound(error)) return null;
    return translate(error);
  }
}

export async function getObjectJson(key: string): Promise<unknown> {
  const bytes = await getObjectBytes(key, 64 * 1024);
  if (!bytes) return null;
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch {
    return null;
  }
}

export type PutOptions = { contentType: string; cacheControl?: string; metadata?: Record<string, string> };

function putCommand(key: string, body: Buffer | string, options: PutOptions, condition: { IfNoneMatch?: "*" } = {}): PutObjectCommand {
  return new PutObjectCommand({
    Bucket: getS3().bucket,
    Key: key,
    Body: body,
    ContentType: options.contentType,
    // Stated, so the SDK never has to guess (it warns about "unknown length" for an empty body).
    ContentLength: Buffer.byteLength(body),
    CacheControl: options.cacheControl,
    Metadata: options.metadata,
    ...condition,
  });
}

export async function putObject(key: string, body: Buffer | string, options: PutOptions): Promise<void> {
  try {
    await getS3().client.send(putCommand(key, body, options));
  } catch (error) {
    return translate(error);
  }
}

/**
 * Creates `key` only if it does not exist (`If-None-Match: *`): "created", "exists" (412), or
 * "conflict" (AWS's 409: another conditional write to the key was under way; its outcome is not
 * known). Meaningful only where S3 honours the header (lib/storage/conditional-writes.ts): an S3
 * that ignores it overwrites and answers "created".
 */
export async function putObjectIfAbsent(key: string, body: string, options: PutOptions): Promise<"created" | "exists" | "conflict"> {
  try {
    await getS3().client.send(putCommand(key, body, options, { IfNoneMatch: "*" }));
    return "created";
  } catch (error) {
    if (isPreconditionFailed(error)) return "exists";
    if (isConditionalConflict(error)) return "conflict";
    return translate(error);
  }
}

/**
 * Copies an object inside the bucket (no byte passes through the app); false when the source is
 * gone. Content type and cache control are set, not copied: S3s differ in what a copy keeps.
 */
/**
 * A save copies the same crop to the same keys when it is double-clicked or sent to two instances
 * at once. Two copies to one key at the same moment can get a 5xx (s3rver does, under load, twice
 * running: the SDK's own retry follows ~30 ms later and meets the other copy again). The copy is
 * idempotent, so it is tried again after a random pause long enough to take the two apart.
 */
const COPY_TRIES = 4;
const copyPause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 300 * attempt));

export async function copyObject(sourceKey: string, key: string, options: PutOptions): Promise<boolean> {
  const { client, bucket } = getS3();
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: key,
          // "bucket/key", URL-encoded except for the slashes.
          CopySource: `${bucket}/${encodeURIComponent(sourceKey).replaceAll("%2F", "/")}`,
          MetadataDirective: "REPLACE",
          ContentType: options.contentType,
          CacheControl: options.cacheControl,
          Metadata: options.metadata,
        }),
      );
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      if (attempt < COPY_TRIES && isServerFault(error)) {
        await copyPause(attempt);
        continue;
      }
      return translate(error);
    }
  }
}

export async function putJson(key: string, value: unknown): Promise<void> {
  await putObject(key, JSON.stringify(value), { contentType: "application/json", cacheControl: "no-store" });
}

/**
 * Whether this S3 takes DeleteObjects (many keys, one request) as the SDK sends it: with a CRC32
 * checksum and no Content-MD5. Ceph RGW and s3rver do (test/s3-conformance); an S3 that insists
 * on Content-MD5 answers 400, and from then on this instance deletes one key per request.
 */
let batchDeletes = true;

export async function deleteObjects(keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const { client, bucket } = getS3();
  if (keys.length > 1 && batchDeletes) {
    let errors: { Code?: string; Message?: string }[] = [];
    try {
      const out = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
      errors = (out.Errors ?? []).filter((e) => e.Code !== "NoSuchKey");
    } catch (error) {
      const status = s3StatusOf(error);
      if (status !== 400 && status !== 501) return translate(error);
      batchDeletes = false;
    }
    if (errors.length > 0) throw new Error(`S3 did not delete ${errors.length} of ${keys.length} objects: ${errors[0]!.Code} ${errors[0]!.Message ?? ""}`);
    if (batchDeletes) return;
  }
  try {
    await Promise.all(keys.map((key) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))));
  } catch (error) {
    if (isNotFound(error)) return;
    return translate(error);
  }
}

export type ListPage = { keys: string[]; truncated: boolean; nextToken?: string };

export async function listKeys(
  prefix: string,
  options: { maxKeys?: number; continuationToken?: string; startAfter?: string } = {},
): Promise<ListPage> {
  const { client, bucket } = getS3();
  try {
    const out = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        MaxKeys: options.maxKeys ?? 1000,
        ContinuationToken: options.continuationToken,
        StartAfter: options.startAfter,
      }),
    );
    const keys = (out.Contents ?? []).flatMap((item) => (item.Key ? [item.Key] : []));
    return { keys, truncated: Boolean(out.IsTruncated), nextToken: out.IsTruncated ? out.NextContinuationToken : undefined };
  } catch (error) {
    return translate(error);
  }
}

/** Deletes every object under `prefix`, a listed page at a time; answers how many it deleted. */
export async function deletePrefix(prefix: string): Promise<number> {
  let token: string | undefined;
  let deleted = 0;
  do {
    const page = await listKeys(prefix, { continuationToken: token });
    await deleteObjects(page.keys);
    deleted += page.keys.length;
    token = page.nextToken;
  } while (token);
  return deleted;
}

/** Presigned GET. signingDate is rounded to a window so the URL (and the browser's cache entry) is stable for a while. */
export async function presignGet(key: string, options: { expiresIn: number; windowSeconds?: number; contentType?: string }): Promise<string> {
  const { client, bucket } = getS3();
  const window = (options.windowSeconds ?? 0) * 1000;
  const signingDate = window > 0 ? new Date(Math.floor(Date.now() / window) * window) : new Date();
  return getSignedUrl(
    client,
    new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentType: options.contentType }),
    { expiresIn: options.expiresIn + (options.windowSeconds ?? 0), signingDate },
  );
}

/** A presigned browser upload (POST form or PUT URL) for one key, exact size and type. */
export async function presignUpload(method: UploadMethod, key: string, signing: UploadSigning): Promise<PresignedUpload> {
  const { client, bucket } = getS3();
  try {
    return await presignUploadWith(client, bucket, method, key, signing);
  } catch (error) {
    return translate(error);
  }
}

/** For health checks: one tiny listing under a prefix the IAM policy allows (HeadBucket would need more). */
export async function checkBucketReachable(): Promise<void> {
  const { client, bucket } = getS3();
  try {
    await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: AVATARS_PREFIX, MaxKeys: 1 }));
  } catch (error) {
    translate(error);
    throw new AppError("storage_unavailable", undefined, { cause: error });
  }
}
