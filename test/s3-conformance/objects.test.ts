import { CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { expect, test } from "vitest";

import { RENDITION_SIZES, currentAvatarKey, historyKey, historyPrefix, newAvatarId, renditionKey } from "@/lib/storage/keys";
import { s3StatusOf } from "@/lib/storage/s3-errors";

import { describeS3, randomHex, sdkError, useTestBucket } from "./support";

/** The object operations of lib/storage/objects.ts, and the ordering the save step depends on. */

describeS3("objects, listing and read-after-write", (t) => {
  let client: S3Client;
  let bucket: string;
  useTestBucket(t, "obj", (c, b) => ([client, bucket] = [c, b]));

  const put = (key: string, body: string | Buffer, contentType = "application/octet-stream", extra: { CacheControl?: string; Metadata?: Record<string, string> } = {}) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ...extra }));
  const getText = async (key: string) => (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  const head = (key: string) => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const list = (prefix: string, maxKeys?: number, token?: string) =>
    client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: maxKeys, ContinuationToken: token }));
  const userId = () => randomHex(14); // the shape of a user id (28 hex); keys need no tag

  test("HeadBucket: 200 for the bucket, 404 for a bucket that does not exist", async () => {
    const out = await client.send(new HeadBucketCommand({ Bucket: bucket }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    const missing = await sdkError(client.send(new HeadBucketCommand({ Bucket: `${bucket}-missing` })));
    expect(missing.status).toBe(404);
  });

  test("PutObject keeps Content-Type, Cache-Control and user metadata (putJson / putObject)", async () => {
    const key = `avatars/${userId()}/current.json`;
    await put(key, JSON.stringify({ avatarId: "x" }), "application/json", { CacheControl: "no-store", Metadata: { "upload-id": "abc123" } });
    const out = await head(key);
    expect(out.ContentType).toBe("application/json");
    expect(out.CacheControl).toBe("no-store");
    expect(out.Metadata).toEqual({ "upload-id": "abc123" });
    expect(out.ContentLength).toBe(JSON.stringify({ avatarId: "x" }).length);
  });

  test("ListObjectsV2: prefix filter, MaxKeys + ContinuationToken pagination, byte-wise lexicographic order", async () => {
    const prefix = `list-${randomHex(4)}/`;
    const names = ["b", "a", "B", "a-1", "a/b", "a0", "_x", "0", "z~"];
    await Promise.all(names.map((name) => put(`${prefix}${name}`, name)));
    // same leading characters, not under the prefix
    await Promise.all([put(`${prefix.slice(0, -1)}-other`, "x"), put(`${prefix.slice(0, -1)}`, "x")]);

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await list(prefix, 4, token);
      const keys = (out.Contents ?? []).map((item) => item.Key!);
      pages.push(keys);
      expect(out.KeyCount).toBe(keys.length);
      if (out.IsTruncated) {
        expect(out.NextContinuationToken).toBeTruthy();
        token = out.NextContinuationToken;
      } else {
        expect(out.NextContinuationToken).toBeUndefined();
        token = undefined;
      }
      expect(pages.length).toBeLessThan(10);
    } while (token);

    const expected = names.map((name) => `${prefix}${name}`).sort(); // code-unit order == UTF-8 byte order for ASCII
    expect(pages.map((page) => page.length)).toEqual([4, 4, 1]);
    expect(pages.flat()).toEqual(expected);
  });

  test("history keys list newest first (reverse-timestamp avatar ids)", async () => {
    const user = userId();
    const now = Date.now();
    const ids = [0, 1, 2, 3, 4].map((i) => newAvatarId(now + i * 60_000)); // ids[4] is the newest
    await Promise.all(ids.map((id) => put(historyKey(user, id), "{}", "application/json")));
    const first = await list(historyPrefix(user), 2);
    expect(first.IsTruncated).toBe(true);
    const rest = await list(historyPrefix(user), 1000, first.NextContinuationToken);
    const keys = [...(first.Contents ?? []), ...(rest.Contents ?? [])].map((item) => item.Key);
    expect(keys).toEqual([...ids].reverse().map((id) => historyKey(user, id)));
  });

  test("an empty prefix lists nothing (200, no Contents, not truncated)", async () => {
    const out = await list(`nothing-${randomHex(4)}/`);
    expect(out.Contents ?? []).toEqual([]);
    expect(out.IsTruncated).toBe(false);
  });

  test("a garbage ContinuationToken is refused with 400 InvalidArgument or ignored, never a 5xx", async () => {
    // listKeys() maps InvalidArgument to a 400 for the client; anything >= 500 would become
    // "storage unavailable", which would be wrong for a bad cursor.
    try {
      const out = await list("list", 10, "not-a-real-token!!");
      expect(out.$metadata.httpStatusCode).toBe(200);
    } catch (error) {
      expect([s3StatusOf(error), (error as { name: string }).name]).toEqual([400, "InvalidArgument"]);
    }
  });

  test("CopyObject copies bytes and Content-Type", async () => {
    const src = `copy-${randomHex(4)}/src.webp`;
    const dst = `copy-${randomHex(4)}/dst.webp`;
    await put(src, "copied-bytes", "image/webp");
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: dst, CopySource: `${bucket}/${src}` }));
    expect(await getText(dst)).toBe("copied-bytes");
    expect((await head(dst)).ContentType).toBe("image/webp");
    expect(await getText(src)).toBe("copied-bytes");
  });

  test("CopyObject with MetadataDirective REPLACE (the save step): bytes copied, Content-Type and Cache-Control replaced", async () => {
    const src = `copy-${randomHex(4)}/crops/512.webp`;
    const dst = `copy-${randomHex(4)}/renditions/512.webp`;
    await put(src, "rendition-bytes", "image/webp", { CacheControl: "private, max-age=3600" });
    await client.send(
      new CopyObjectCommand({ Bucket: bucket, Key: dst, CopySource: `${bucket}/${src}`, MetadataDirective: "REPLACE", ContentType: "image/webp", CacheControl: "public, max-age=31536000, immutable" }),
    );
    expect(await getText(dst)).toBe("rendition-bytes");
    expect(await head(dst)).toMatchObject({ ContentType: "image/webp", CacheControl: "public, max-age=31536000, immutable" });
    // a missing source is 404 NoSuchKey (the save step's "crop is gone")
    const missing = await sdkError(client.send(new CopyObjectCommand({ Bucket: bucket, Key: `${dst}-2`, CopySource: `${bucket}/${src}-missing`, MetadataDirective: "REPLACE", ContentType: "image/webp" })));
    expect(missing).toEqual({ status: 404, name: "NoSuchKey" });
  });

  test("DeleteObjects as the SDK sends it (CRC32, no Content-MD5): every key gone in one request, missing keys no error", async () => {
    const prefix = `batch-${randomHex(4)}/`;
    const keys = ["original", "preview.webp", "crops/a/512.webp", "crops/a/64.webp"].map((name) => `${prefix}${name}`);
    await Promise.all(keys.map((key) => put(key, "x")));
    const out = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [...keys, `${prefix}never-existed`].map((Key) => ({ Key })), Quiet: true } }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((out.Errors ?? []).filter((e) => e.Code !== "NoSuchKey")).toEqual([]);
    expect((await list(prefix)).Contents ?? []).toEqual([]);
  });

  test("DeleteObject, then HeadObject is 404 NotFound and GetObject 404 NoSuchKey", async () => {
    const key = `del-${randomHex(4)}/x`;
    await put(key, "x");
    const out = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect(await sdkError(head(key))).toEqual({ status: 404, name: "NotFound" });
    expect(await sdkError(client.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toEqual({ status: 404, name: "NoSuchKey" });
    expect((await list(key)).Contents ?? []).toEqual([]);
  });

  test("DeleteObject of a key that does not exist succeeds (204): deletes are idempotent", async () => {
    const out = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: `del-${randomHex(4)}/never-existed` }));
    expect(out.$metadata.httpStatusCode).toBe(204);
  });

  test("GetObject of a missing key is 404 NoSuchKey", async () => {
    expect(await sdkError(client.send(new GetObjectCommand({ Bucket: bucket, Key: `missing-${randomHex(8)}` })))).toEqual({
      status: 404,
      name: "NoSuchKey",
    });
  });

  test("save step order: renditions, then history record, then current pointer — each visible at once", async () => {
    const user = userId();
    for (let round = 0; round < 5; round++) {
      const avatarId = newAvatarId(Date.now() + round * 1000);
      const renditions = RENDITION_SIZES.map((size) => ({ key: renditionKey(user, avatarId, size), body: `${avatarId}:${size}:`.repeat(size) }));
      await Promise.all(renditions.map((r) => put(r.key, r.body, "image/webp")));
      for (const r of renditions) expect((await head(r.key)).ContentLength).toBe(r.body.length);

      const record = JSON.stringify({ avatarId, sizes: RENDITION_SIZES, round });
      await put(historyKey(user, avatarId), record, "application/json");
      expect(await getText(historyKey(user, avatarId))).toBe(record);
      const newest = await list(historyPrefix(user), 1);
      expect(newest.Contents?.[0]?.Key).toBe(historyKey(user, avatarId));

      const pointer = JSON.stringify({ avatarId, round });
      await put(currentAvatarKey(user), pointer, "application/json", { CacheControl: "no-store" });
      expect(await getText(currentAvatarKey(user))).toBe(pointer);
      expect((await head(currentAvatarKey(user))).ContentLength).toBe(pointer.length);
      // the pointer names renditions that are all readable
      const current = JSON.parse(await getText(currentAvatarKey(user))) as { avatarId: string };
      for (const size of RENDITION_SIZES) expect(await getText(renditionKey(user, current.avatarId, size))).toMatch(new RegExp(`^${avatarId}:${size}:`));
    }
  });

  test("an overwritten key is read whole: always the old or the new body, the new one right after the PUT", async () => {
    const key = `overwrite-${randomHex(4)}/current.json`;
    const bodies = ["a", "b"].map((c, i) => JSON.stringify({ v: c, pad: c.repeat(200_000 + i * 100_000) }));
    await put(key, bodies[0]!, "application/json");
    let writing = true;
    const reads: { whole: number; torn: string[] } = { whole: 0, torn: [] };
    const reader = (async () => {
      while (writing) {
        try {
          const text = await getText(key);
          if (bodies.includes(text)) reads.whole++;
          else reads.torn.push(`a body of ${text.length} bytes that is neither the old nor the new one`);
        } catch (error) {
          reads.torn.push(`a failed read: ${(error as Error).message}`);
        }
      }
    })();
    try {
      for (let i = 1; i <= 8; i++) {
        const body = bodies[i % 2]!;
        await put(key, body, "application/json");
        expect(await getText(key)).toBe(body);
        expect((await head(key)).ContentLength).toBe(body.length);
      }
    } finally {
      writing = false;
      await reader;
    }
    expect(reads.torn).toEqual([]);
    expect(reads.whole).toBeGreaterThan(0);
  });
});
