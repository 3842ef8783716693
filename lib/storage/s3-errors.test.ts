import { NoSuchKey, NotFound, S3ServiceException } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";

import { isConditionalConflict, isNotFound, isPreconditionFailed, isStorageUnavailable, s3ErrorName, s3StatusOf } from "./s3-errors";

/** Errors as the SDK throws them: S3's answers carry $metadata, network failures do not. */
const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status }, message: name });
const noSuchKey = new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: "The specified key does not exist." });
const headNotFound = new NotFound({ $metadata: { httpStatusCode: 404 }, message: "" });
const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9000"), { code: "ECONNREFUSED" });
const timeout = Object.assign(new Error("Request timed out"), { name: "TimeoutError" });

describe("s3StatusOf", () => {
  it("reads the status S3 answered with", () => {
    expect(s3StatusOf(noSuchKey)).toBe(404);
    expect(s3StatusOf(s3Error("SlowDown", 503))).toBe(503);
  });

  it("is undefined when S3 never answered, or for anything that is not an SDK error", () => {
    for (const error of [refused, timeout, undefined, null, "boom", 404, { $metadata: {} }, { $metadata: { httpStatusCode: "404" } }]) {
      expect(s3StatusOf(error)).toBeUndefined();
    }
  });
});

describe("isNotFound", () => {
  it("knows GET's NoSuchKey, HEAD's NotFound and a bare 404", () => {
    expect(isNotFound(noSuchKey)).toBe(true);
    expect(isNotFound(headNotFound)).toBe(true);
    expect(isNotFound(s3Error("UnknownError", 404))).toBe(true);
  });

  it("is false for other answers and for no answer", () => {
    expect(isNotFound(s3Error("AccessDenied", 403))).toBe(false);
    expect(isNotFound(s3Error("InternalError", 500))).toBe(false);
    expect(isNotFound(refused)).toBe(false);
    expect(isNotFound(undefined)).toBe(false);
  });
});

describe("isStorageUnavailable", () => {
  it("is true without an answer, for a 5xx, and for a timeout", () => {
    expect(isStorageUnavailable(refused)).toBe(true);
    expect(isStorageUnavailable(timeout)).toBe(true);
    expect(isStorageUnavailable(s3Error("InternalError", 500))).toBe(true);
    expect(isStorageUnavailable(s3Error("SlowDown", 503))).toBe(true);
  });

  it("is false for S3's 4xx answers: those are about the request", () => {
    expect(isStorageUnavailable(noSuchKey)).toBe(false);
    expect(isStorageUnavailable(s3Error("AccessDenied", 403))).toBe(false);
    expect(isStorageUnavailable(s3Error("InvalidArgument", 400))).toBe(false);
  });
});

describe("s3ErrorName", () => {
  it("is S3's error name, or the network's code for a plain Error", () => {
    expect(s3ErrorName(s3Error("NoSuchBucket", 404))).toBe("NoSuchBucket");
    expect(s3ErrorName(refused)).toBe("ECONNREFUSED");
    expect(s3ErrorName(new Error("no code"))).toBe("Error");
    expect(s3ErrorName(undefined)).toBe("Error");
  });
});

describe("isPreconditionFailed", () => {
  it("knows a 412 PreconditionFailed (If-None-Match: * on a key that exists), by name or by status", () => {
    expect(isPreconditionFailed(s3Error("PreconditionFailed", 412))).toBe(true);
    expect(isPreconditionFailed(s3Error("UnknownError", 412))).toBe(true);
  });

  it("is false for other answers, a conflict, and no answer", () => {
    expect(isPreconditionFailed(noSuchKey)).toBe(false);
    expect(isPreconditionFailed(s3Error("ConditionalRequestConflict", 409))).toBe(false);
    expect(isPreconditionFailed(s3Error("NotImplemented", 501))).toBe(false);
    expect(isPreconditionFailed(refused)).toBe(false);
    expect(isPreconditionFailed(undefined)).toBe(false);
  });
});

describe("isConditionalConflict", () => {
  it("knows AWS's 409 ConditionalRequestConflict, and nothing else", () => {
    expect(isConditionalConflict(s3Error("ConditionalRequestConflict", 409))).toBe(true);
    expect(isConditionalConflict(s3Error("PreconditionFailed", 412))).toBe(false);
    expect(isConditionalConflict(refused)).toBe(false);
  });
});
