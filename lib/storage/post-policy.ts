import type { PresignedPostOptions } from "@aws-sdk/s3-presigned-post";

type PolicyCondition = NonNullable<PresignedPostOptions["Conditions"]>[number];

/**
 * What a presigned POST hands out and the browser POSTs the file with (the form's URL and fields).
 * Here, in a pure module, so the browser's side can name it without importing the S3 adapter.
 */
export type PresignedPost = { method: "post"; url: string; fields: Record<string, string>; expiresAt: string };

/**
 * The conditions a presigned POST pins (pure, unit-tested). An S3 that enforces them refuses any
 * other key, size or type; the finish step re-checks everything for S3s that do not.
 */
export function postPolicyConditions(input: { key: string; contentType: string; maxBytes: number }): PolicyCondition[] {
  return [
    { key: input.key },
    ["content-length-range", 1, input.maxBytes],
    { "Content-Type": input.contentType },
    ["starts-with", "$Content-Type", "image/"],
  ];
}
