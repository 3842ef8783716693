import "server-only";

import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";

import { getS3 } from "./s3-client";
import { postPolicyConditions } from "./post-policy";

/** S3 operations the use cases need, with S3's failures translated into AppErrors. */

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

/** Anything that is not an S3 answer (refused connection, timeout, DNS) means storage is unavailable. */
function translate(error: unknown): never {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  if (status === undefined || status >= 500 || e?.name === "TimeoutError") {
    throw new AppError("storage_unavailable", undefined, { cause: error });
  }
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

/** Reads a whole object, refusing to buffer more than maxBytes (S3 that ignored a policy cannot make us). */
export async function getObjectBytes(key: string, maxBytes: number): Promise<Buffer | null> {
  const { client, bucket } = getS3();
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if ((out.ContentLength ?? 0) > maxBytes) {
      out.Body?.transformToWebStream().cancel().catch(() => undefined);
      throw new AppError("file_too_large");
    }
    // One buffer of the announced length, filled as chunks arrive: a 48 MP original is held once,
    // not once in chunks and again in their concatenation. Without a length, chunks are gathered.
    const announced = out.ContentLength;
    const whole = announced !== undefined ? Buffer.allocUnsafe(announced) : undefined;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of out.Body as AsyncIterable<Uint8Array>) {
      if (total + chunk.byteLength > (whole ? whole.length : maxBytes)) throw new AppError(whole ? "storage_unavailable" : "file_too_large");
      if (whole) whole.set(chunk, total);
      else chunks.push(chunk);
      total += chunk.byteLength;
    }
    if (whole && total !== whole.length) throw new AppError("storage_unavailable");
    return whole ?? Buffer.concat(chunks, total);
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

export async function putObject(key: string, body: Buffer | string, options: PutOptions): Promise<void> {
  const { client, bucket } = getS3();
  try {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        // Stated, so the SDK never has to guess (it warns about "unknown length" for an empty body).
        ContentLength: Buffer.byteLength(body),
        CacheControl: options.cacheControl,
        Metadata: options.metadata,
      }),
    );
  } catch (error) {
    return translate(error);
  }
}

export async function putJson(key: string, value: unknown): Promise<void> {
  await putObject(key, JSON.stringify(value), { contentType: "application/json", cacheControl: "no-store" });
}

export async function deleteObjects(keys: string[]): Promise<void> {
  const { client, bucket } = getS3();
  try {
    // One DeleteObject per key: DeleteObjects needs a Content-MD5 some S3s insist on and others lack.
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

export async function deletePrefix(prefix: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await listKeys(prefix, { continuationToken: token });
    await deleteObjects(page.keys);
    token = page.nextToken;
  } while (token);
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

export type PresignedPost = { url: string; fields: Record<string, string>; expiresAt: string };

export async function presignPost(key: string, options: { contentType: string; maxBytes: number; expiresIn: number }): Promise<PresignedPost> {
  const { client, bucket } = getS3();
  try {
    const post = await createPresignedPost(client, {
      Bucket: bucket,
      Key: key,
      Conditions: postPolicyConditions({ key, contentType: options.contentType, maxBytes: options.maxBytes }),
      Fields: { "Content-Type": options.contentType },
      Expires: options.expiresIn,
    });
    return { url: post.url, fields: post.fields, expiresAt: new Date(Date.now() + options.expiresIn * 1000).toISOString() };
  } catch (error) {
    return translate(error);
  }
}

/** A public URL for a rendition when a CDN fronts the bucket, otherwise a presigned GET. */
export async function publicOrPresignedUrl(key: string): Promise<string> {
  const base = getEnv().S3_PUBLIC_BASE_URL;
  if (base) return `${base.replace(/\/$/, "")}/${key}`;
  return presignGet(key, { expiresIn: 3600, windowSeconds: 3600, contentType: "image/webp" });
}

/** For health checks: one tiny listing under a prefix the IAM policy allows (HeadBucket would need more). */
export async function checkBucketReachable(): Promise<void> {
  const { client, bucket } = getS3();
  try {
    await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "avatars/", MaxKeys: 1 }));
  } catch (error) {
    translate(error);
    throw new AppError("storage_unavailable", undefined, { cause: error });
  }
}
