import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, test } from "vitest";

import { probeConditionalWrites, type ConditionalWriteSupport } from "@/lib/storage/conditional-writes";
import { isConditionalConflict, isPreconditionFailed, s3ErrorName, s3StatusOf } from "@/lib/storage/s3-errors";
import { snapshotEnv } from "@/tools/app-env";
import { s3TargetAppEnv } from "@/test/harness/s3-target";

import { describeS3, randomHex, useTestBucket } from "./support";

/**
 * Whether this S3 honours `If-None-Match: *` on PutObject, recorded (printed) for whoever reads the
 * run, and what the app then gets: the hourly upload quota claims slot keys with it and holds
 * exactly, or counts markers and holds never more than the limit. The assertions follow what the
 * S3 does; only a claim of support that does not hold up (a second create not refused, or two
 * racing creates both winning) fails.
 */

describeS3("conditional writes (PutObject If-None-Match: *) and the hourly upload quota", (t) => {
  let client: S3Client;
  let bucket: string;
  let support: ConditionalWriteSupport | undefined;
  useTestBucket(t, "cond", (c, b) => ([client, bucket] = [c, b]));

  const create = (key: string, body: string) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "text/plain", IfNoneMatch: "*" }));
  const outcome = (put: Promise<unknown>) =>
    put.then(
      () => "created" as const,
      (error: unknown) => (isPreconditionFailed(error) ? ("412" as const) : isConditionalConflict(error) ? ("409" as const) : `${s3StatusOf(error) ?? "no answer"} ${s3ErrorName(error)}`),
    );
  const body = async (key: string) => (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

  test("records whether this S3 honours If-None-Match: * on PutObject; the app's probe says the same as a direct look", async () => {
    support = await probeConditionalWrites(client, bucket, `probe-${randomHex(8)}`);
    const key = `direct-${randomHex(6)}`;
    const first = await outcome(create(key, "first"));
    if (support.kind === "refused") expect(first).not.toBe("created");
    else {
      expect(first).toBe("created");
      const second = await outcome(create(key, "second"));
      if (support.kind === "honoured") expect([second, await body(key)]).toEqual(["412", "first"]);
      else expect([second, await body(key)]).toEqual(["created", "second"]); // ignored: overwritten without a word
    }
    const server = (await fetch(t.endpoint).catch(() => undefined))?.headers.get("server");
    console.log(
      `S3 conditional writes at ${t.endpoint}${server ? ` (Server: ${server})` : ""}: ${support.kind.toUpperCase()} (${support.detail}). ` +
        (support.kind === "honoured"
          ? "The hourly upload quota claims slot keys there and holds exactly."
          : "The hourly upload quota counts markers there: never more than the limit, a burst may admit fewer."),
    );
  });

  test("where honoured, racing creates of one key have exactly one winner (the header is atomic, not check-then-write)", async (context) => {
    if (support?.kind !== "honoured") context.skip(`this S3 does not honour If-None-Match (${support?.kind ?? "not probed"})`);
    const rounds: string[][] = [];
    for (let round = 0; round < 5; round++) {
      const key = `race-${randomHex(6)}`;
      rounds.push(await Promise.all(Array.from({ length: 20 }, (_, i) => outcome(create(key, `writer-${i}`)))));
    }
    const summary = rounds.map((round) => `${round.filter((o) => o === "created").length} created, ${round.filter((o) => o === "412").length}×412, ${round.filter((o) => o === "409").length}×409`);
    console.log(`20 racing creates of one key, 5 rounds: ${summary.join("; ")}`);
    for (const round of rounds) {
      expect(round.filter((o) => o === "created")).toHaveLength(1);
      expect(round.filter((o) => o !== "created" && o !== "412" && o !== "409")).toEqual([]);
    }
  });

  describe80Starts();

  function describe80Starts() {
    const restoreEnv = snapshotEnv();
    beforeAll(() => {
      // The app's code against this S3 and this test bucket (lib/env.ts reads process.env once, at first use).
      Object.assign(process.env, {
        ...s3TargetAppEnv(t, bucket),
        AUTH_SECRET: "conformance-test-secret-0123456789",
        NEXTAUTH_URL: "http://127.0.0.1:3999",
        UPLOADS_PER_HOUR: "30",
        S3_CONDITIONAL_WRITES: "auto",
        LOG_LEVEL: "silent",
      });
    });
    afterAll(restoreEnv);

    test("80 parallel upload starts by one user with UPLOADS_PER_HOUR=30: exactly 30 admitted where If-None-Match is honoured, never more than 30 anywhere", async () => {
      const { startUpload } = await import("@/lib/avatars/start-upload");
      const { conditionalWritesAvailable } = await import("@/lib/storage/conditional-writes");
      const { listKeys } = await import("@/lib/storage/objects");
      const { uploadsStartedPrefix } = await import("@/lib/storage/keys");
      const user = randomHex(14); // the shape of a user id (28 hex)
      const hour = Math.floor(Date.now() / 3_600_000);
      const slots = await conditionalWritesAvailable();
      expect(slots).toBe(support?.kind === "honoured");
      const results = await Promise.allSettled(Array.from({ length: 80 }, () => startUpload(user, { contentType: "image/png", size: 100 })));
      const admitted = results.filter((r) => r.status === "fulfilled").length;
      const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
      const keys = (await listKeys(uploadsStartedPrefix(user, hour))).keys;
      console.log(`80 parallel upload starts, UPLOADS_PER_HOUR=30, ${slots ? "slot keys claimed with If-None-Match" : "counted markers (fallback)"}: ${admitted} admitted, ${refused.length} refused (429), ${keys.length} keys for the hour`);
      for (const reason of refused) expect(reason).toMatchObject({ code: "rate_limited", status: 429 });
      if (slots) {
        expect(admitted).toBe(30);
        expect(keys.sort()).toEqual(Array.from({ length: 30 }, (_, n) => `${uploadsStartedPrefix(user, hour)}slot-${n}`).sort());
      } else {
        expect(admitted).toBeLessThanOrEqual(30);
        expect(keys).toHaveLength(admitted);
      }
      // the 31st, after the burst, is refused too
      if (admitted === 30) await expect(startUpload(user, { contentType: "image/png", size: 100 })).rejects.toMatchObject({ code: "rate_limited" });
    });
  }
});
