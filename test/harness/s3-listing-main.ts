/** The child process of s3-listing.ts: prints, as JSON, every key under the prefixes it is given. */
import { ListObjectsV2Command } from "@aws-sdk/client-s3";

import { createS3Client } from "@/lib/storage/s3-client";

const env = process.env;
const bucket = env.S3_BUCKET!;
const client = createS3Client({
  bucket,
  region: env.S3_REGION ?? "us-east-1",
  endpoint: env.S3_ENDPOINT,
  forcePathStyle: env.S3_FORCE_PATH_STYLE !== "false",
  accessKeyId: env.S3_ACCESS_KEY_ID,
  secretAccessKey: env.S3_SECRET_ACCESS_KEY,
});

const keys: string[] = [];
for (const prefix of process.argv.slice(2)) {
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).flatMap((item) => (item.Key ? [item.Key] : [])));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}
process.stdout.write(JSON.stringify(keys));
