import "server-only";

import { randomBytes } from "node:crypto";

import { DeleteObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

import { conditionalWriteProbeKey } from "./keys";
import { getS3 } from "./s3-client";
import { isConditionalConflict, isPreconditionFailed, isStorageUnavailable, s3ErrorName, s3StatusOf } from "./s3-errors";

/**
 * Whether this S3 honours `If-None-Match: *` on PutObject ("create, unless the key exists"), which
 * lets the hourly upload quota hold exactly under a burst. S3s differ: AWS S3 (since August 2024),
 * R2 and recent MinIO answer 412 when the key exists; an S3 that does not implement the header
 * may refuse it, or ignore it and overwrite, which only a second write of the same key shows.
 */
export type ConditionalWriteSupport = {
  /** honoured: a second create of one key got 412; ignored: it overwrote; refused: the header was an error. */
  kind: "honoured" | "ignored" | "refused";
  detail: string;
};

const CONFLICT_RETRIES = 3;

function createOnly(client: S3Client, bucket: string, key: string, body: string) {
  return client.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "text/plain", ContentLength: Buffer.byteLength(body), IfNoneMatch: "*" }),
  );
}

/** An answer that is about the header, not about storage being down or the app lacking permission. */
const refusedHeader = (error: unknown) => {
  const status = s3StatusOf(error);
  return status !== undefined && status !== 403 && !isStorageUnavailable(error);
};

/**
 * Creates `key` (which must not exist) twice with `If-None-Match: *` and reads what the second
 * attempt did, then deletes it. Throws when S3 is unreachable or refuses the app (403): that says
 * nothing about the header. Used by the app (once per process) and by the conformance suite.
 */
export async function probeConditionalWrites(client: S3Client, bucket: string, key: string): Promise<ConditionalWriteSupport> {
  try {
    try {
      await createOnly(client, bucket, key, "first");
    } catch (error) {
      if (!refusedHeader(error)) throw error;
      return { kind: "refused", detail: `PutObject with If-None-Match: * on a new key was refused (${s3StatusOf(error)} ${s3ErrorName(error)})` };
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await createOnly(client, bucket, key, "second");
        return { kind: "ignored", detail: "a second PutObject with If-None-Match: * overwrote the key instead of answering 412" };
      } catch (error) {
        if (isPreconditionFailed(error)) return { kind: "honoured", detail: "a second PutObject with If-None-Match: * was refused with 412 PreconditionFailed" };
        if (isConditionalConflict(error) && attempt < CONFLICT_RETRIES) continue;
        if (!refusedHeader(error)) throw error;
        return { kind: "refused", detail: `a second PutObject with If-None-Match: * got ${s3StatusOf(error)} ${s3ErrorName(error)}, not 412` };
      }
    }
  } finally {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined); // else the lifecycle rule removes it
  }
}

let detected: Promise<boolean> | undefined;

/**
 * Whether the app may rely on conditional writes: S3_CONDITIONAL_WRITES=true/false says so; auto
 * (the default) probes once per process and keeps the answer. A probe that could not reach S3 is
 * not kept, so the next request probes again.
 */
export function conditionalWritesAvailable(): Promise<boolean> {
  const mode = getEnv().S3_CONDITIONAL_WRITES;
  if (mode !== "auto") return Promise.resolve(mode === "true");
  detected ??= detect().catch((error: unknown) => {
    detected = undefined;
    throw error;
  });
  return detected;
}

async function detect(): Promise<boolean> {
  const { client, bucket } = getS3();
  let support: ConditionalWriteSupport;
  try {
    support = await probeConditionalWrites(client, bucket, conditionalWriteProbeKey(randomBytes(8).toString("hex")));
  } catch (error) {
    if (isStorageUnavailable(error)) throw new AppError("storage_unavailable", undefined, { cause: error });
    throw error;
  }
  const supported = support.kind === "honoured";
  log(supported ? "info" : "warn", supported ? "S3 honours conditional writes: the hourly upload quota holds exactly" : "S3 does not honour conditional writes: the hourly upload quota counts instead (a burst may admit fewer than the limit, never more)", {
    conditionalWrites: support.kind,
    detail: support.detail,
  });
  return supported;
}
