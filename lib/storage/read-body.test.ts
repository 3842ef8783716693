import { PassThrough, Readable } from "node:stream";

import { describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors";

import { readBody } from "./read-body";

const chunks = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)));

async function appErrorCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

describe("readBody", () => {
  it("fills one buffer of the announced length from the chunks, in order", async () => {
    const bytes = await readBody(chunks("ab", "cde", "f"), 6, 100);
    expect(bytes.toString()).toBe("abcdef");
    expect(bytes.length).toBe(6);
  });

  it("gathers the chunks when no length was announced", async () => {
    expect((await readBody(chunks("ab", "cd"), undefined, 100)).toString()).toBe("abcd");
  });

  it("refuses a body without a length that grows past maxBytes, and stops reading it", async () => {
    const body = chunks("abcd", "efgh", "ijkl");
    expect(await appErrorCode(readBody(body, undefined, 6))).toBe("file_too_large");
    expect(body.destroyed).toBe(true);
  });

  it("calls a body longer or shorter than announced a storage failure", async () => {
    expect(await appErrorCode(readBody(chunks("abcdef"), 4, 100))).toBe("storage_unavailable");
    expect(await appErrorCode(readBody(chunks("ab"), 4, 100))).toBe("storage_unavailable");
  });

  it("rejects, never hangs, when the body is cut off before its end (an aborted download)", async () => {
    const body = new PassThrough();
    const read = readBody(body, 10, 100);
    body.write(Buffer.from("abc"));
    body.destroy();
    await expect(read).rejects.toThrow(/premature close/i);
  });

  it("passes the stream's own error on", async () => {
    const body = new PassThrough();
    const read = readBody(body, 10, 100);
    body.destroy(new Error("socket hang up"));
    await expect(read).rejects.toThrow("socket hang up");
  });
});
