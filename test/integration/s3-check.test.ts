import { describe, expect, it } from "vitest";

import { bucketTargetFromEnv, checkBucketSetup, type Finding } from "@/tools/bucket/bucket-setup";

import { ensureBucket } from "./helpers";

/**
 * `npm run s3:check` against a store that ignores what presigned uploads sign (the embedded
 * s3rver): each upload it lets through is an error, in a sentence that says what it means in
 * production. The real-store side (Ceph refuses all of them) is test/s3-conformance/bucket-setup.test.ts.
 */

const show = (findings: Finding[]) => findings.map((f) => `${f.level} ${f.topic}: ${f.message}`).join("\n");

describe("s3:check on a store that does not enforce presigned uploads", () => {
  it.each([
    ["post", "POST"],
    ["put", "PUT"],
  ] as const)("%s: a larger body, another key and another type are each reported as an error in production (s3rver checks no signature)", async (method, name) => {
    await ensureBucket();
    const findings = (await checkBucketSetup({ ...bucketTargetFromEnv(), uploadMethod: method })).filter((f) => f.topic === `upload-${method}`);
    console.log(show(findings));
    expect(findings[0], show(findings)).toMatchObject({ level: "ok", message: expect.stringContaining("is accepted") });
    const accepted = new RegExp(`^the store accepted a presigned ${name} with (.+?) \\(HTTP 2\\d\\d\\): it does not enforce what the app signs, so in production `);
    expect(findings.slice(1).map((f) => [f.level, accepted.exec(f.message)?.[1]])).toEqual([
      ["error", "a body larger than signed"],
      ["error", "another key than signed"],
      ["error", "another Content-Type than signed"],
    ]);
  });
});
