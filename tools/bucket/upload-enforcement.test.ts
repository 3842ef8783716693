import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createS3Client } from "@/lib/storage/s3-client";

import { uploadEnforcementFindings } from "./upload-enforcement";

/** A store like Cloudflare R2 or Backblaze B2: no PostObject (501), everything else accepted. */
describe("s3:check on a store without browser POST uploads", () => {
  let server: Server;
  let endpoint: string;
  const requests: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.method!);
      request.resume();
      request.on("end", () => {
        response.statusCode = request.method === "POST" ? 501 : 204;
        response.end(request.method === "POST" ? "<Error><Code>NotImplemented</Code></Error>" : "");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("says to set S3_UPLOAD_METHOD=put, and tries nothing else with POST", async () => {
    const client = createS3Client({ bucket: "b", region: "auto", endpoint, forcePathStyle: true, accessKeyId: "k", secretAccessKey: "s" });
    const findings = await uploadEnforcementFindings({ client, bucket: "b", uploadMethod: "post" });
    expect(findings).toEqual([{ level: "error", topic: "upload-post", message: expect.stringMatching(/^this store has no browser POST uploads: set S3_UPLOAD_METHOD=put /) }]);
    expect(requests.filter((method) => method === "POST")).toEqual(["POST"]);
  });
});
