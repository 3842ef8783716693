import type { PresignedPostOptions } from "@aws-sdk/s3-presigned-post";

type PolicyCondition = NonNullable<PresignedPostOptions["Conditions"]>[number];

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
