import { beforeAll, describe, expect, it } from "vitest";

import { finishUpload } from "@/lib/avatars/finish-upload";
import { startUpload } from "@/lib/avatars/start-upload";
import { appMetrics, renderMetrics } from "@/lib/metrics/registry";
import { photoLike } from "@/test/harness/images";

import { ensureBucket, newTestUser, sendToS3 } from "./helpers";

/**
 * The S3 metrics, counted by the middleware on the app's one client while use cases talk to a
 * real S3-compatible server over HTTP: each call counted once under its operation, a failed one
 * also under its error, and presigned URLs (which run the client's stack without sending) not at all.
 */

type Counts = Record<string, number>;

async function countsOf(metric: "s3Requests" | "s3Errors"): Promise<Counts> {
  const counts: Counts = {};
  for (const { labels, value } of (await appMetrics()[metric].get()).values) {
    const { operation, error }: Partial<Record<string, string | number>> = labels;
    const key = [operation, error].filter(Boolean).join(" ");
    counts[key] = value;
  }
  return counts;
}

function grown(before: Counts, after: Counts): Counts {
  return Object.fromEntries(Object.entries(after).flatMap(([key, value]) => (value > (before[key] ?? 0) ? [[key, value - (before[key] ?? 0)]] : [])));
}

beforeAll(ensureBucket);

describe("S3 metrics", () => {
  it("startUpload and finishUpload count exactly the calls they make, by operation", async () => {
    const user = newTestUser();
    const bytes = await photoLike(640, 480);
    // The first upload start of a process also probes once whether this S3 honours conditional
    // writes (upload-quota.ts); that one-off probe is not what this test counts.
    await startUpload(newTestUser(), { contentType: "image/jpeg", size: bytes.length });

    const beforeStart = await countsOf("s3Requests");
    const started = await startUpload(user, { contentType: "image/jpeg", size: bytes.length });
    // s3rver ignores If-None-Match, so the hourly quota counts: its marker and the listing; the presigned POST is signed locally.
    expect(grown(beforeStart, await countsOf("s3Requests"))).toEqual({ PutObject: 1, ListObjectsV2: 1 });

    expect((await sendToS3(started.upload, bytes, "image/jpeg")).status).toBeLessThan(300); // the browser's upload: not the app's client

    const beforeFinish = await countsOf("s3Requests");
    const errorsBefore = await countsOf("s3Errors");
    const ready = await finishUpload(user, started.uploadId);
    expect(ready.preview.url).toMatch(/X-Amz-Signature=/); // a presigned GET was made, and is no call
    // GET original (no HEAD before it, none for a retry either), PUT preview and PUT checked.
    expect(grown(beforeFinish, await countsOf("s3Requests"))).toEqual({ GetObject: 1, PutObject: 2 });
    expect(grown(errorsBefore, await countsOf("s3Errors"))).toEqual({});

    // The early crop step's finish: the browser shows its own copy, so no preview: GET and one PUT.
    const second = await startUpload(user, { contentType: "image/jpeg", size: bytes.length });
    expect((await sendToS3(second.upload, bytes, "image/jpeg")).status).toBeLessThan(300);
    const beforeLazy = await countsOf("s3Requests");
    const lazy = await finishUpload(user, second.uploadId, { previewInBrowser: true });
    expect(lazy.preview.url).toBe(`/api/uploads/${second.uploadId}/preview`);
    expect(grown(beforeLazy, await countsOf("s3Requests"))).toEqual({ GetObject: 1, PutObject: 1 });

    const { body } = await renderMetrics();
    expect(body).toMatch(/^avatar_relay_s3_request_duration_seconds_count\{(?=[^}]*operation="GetObject")(?=[^}]*instance_id=")[^}]*\} [1-9]/m);
  });
});
