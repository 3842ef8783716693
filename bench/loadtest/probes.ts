/**
 * After the run, the fairness and bound probes over HTTP against the same cluster: one user flooding
 * crops while another crops once, one user's burst of upload starts against the hourly bound, and
 * a 1 MiB chunked JSON body sent slowly to an instance.
 */
import sharp from "sharp";

import type { ReadyUpload, StartedUpload } from "@/lib/avatars/api-types";
import { slowChunkedPost } from "@/tools/http";
import { photoLike } from "@/test/harness/images";
import { sendToS3 } from "@/test/harness/s3-post";

import { Client } from "../web/client";

export type ProbeResults = {
  cropFlood: { crops: number; statuses: Record<string, number>; otherUserStatus: number; otherUserMs: number; otherUserAloneMs: number; megapixels: number };
  presignBurst: { requests: number; limit: number; statuses: Record<string, number> };
  chunkedBody: { target: string; status: number; code: string; bytesSentWhenAnswered: number; bodyBytes: number }[];
};

const tally = (statuses: number[]) => statuses.reduce<Record<string, number>>((counts, s) => ({ ...counts, [s]: (counts[s] ?? 0) + 1 }), {});

async function signedIn(origin: string, name: string): Promise<Client> {
  const client = new Client(origin);
  await client.signIn(name);
  return client;
}

async function readyUpload(client: Client, bytes: Buffer): Promise<ReadyUpload> {
  const presign = await client.request("/api/uploads", { json: { contentType: "image/jpeg", size: bytes.length } });
  if (presign.status !== 201) throw new Error(`probe: presign answered ${presign.status}`);
  const started = (await presign.json()) as StartedUpload;
  const s3 = await sendToS3(started.upload, bytes, "image/jpeg");
  if (s3.status >= 300) throw new Error(`probe: S3 answered ${s3.status}`);
  const finish = await client.request(`/api/uploads/${started.uploadId}/finish`, { method: "POST" });
  if (finish.status !== 200) throw new Error(`probe: finish answered ${finish.status}: ${await finish.text()}`);
  return (await finish.json()) as ReadyUpload;
}

async function crop(client: Client, ready: ReadyUpload): Promise<{ status: number; ms: number }> {
  const side = Math.min(ready.displayed.width, ready.displayed.height) - 10;
  const started = performance.now();
  const response = await client.request(`/api/uploads/${ready.uploadId}/crop`, { json: { left: 5, top: 5, width: side, height: side, rotation: 0 } });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

export async function runProbes(options: { lbUrl: string; instanceUrl: string; uploadsPerHour: number; t0: number }): Promise<ProbeResults> {
  const { lbUrl } = options;
  const flooder = await signedIn(lbUrl, `probe-flooder-${options.t0}`);
  const other = await signedIn(lbUrl, `probe-other-${options.t0}`);
  const [width, height] = [4000, 3000];
  const big = await sharp(await photoLike(width, height, 7)).jpeg({ quality: 80 }).toBuffer();
  const small = await sharp(await photoLike(1600, 1200, 8)).jpeg({ quality: 85 }).toBuffer();
  const floodUpload = await readyUpload(flooder, big);
  const otherUpload = await readyUpload(other, small);
  const alone = await crop(other, otherUpload);

  const flood = Array.from({ length: 40 }, () => crop(flooder, floodUpload));
  await new Promise((resolve) => setTimeout(resolve, 150)); // the flood has reached the instances
  const during = await crop(other, otherUpload);
  const floodStatuses = (await Promise.all(flood)).map((r) => r.status);

  const burster = await signedIn(lbUrl, `probe-burst-${options.t0}`);
  const burstSize = options.uploadsPerHour + 50;
  const burst = await Promise.all(
    Array.from({ length: burstSize }, async () => {
      const response = await burster.request("/api/uploads", { json: { contentType: "image/jpeg", size: 1000 } });
      await response.arrayBuffer();
      return response.status;
    }),
  );

  const chunkedBody: ProbeResults["chunkedBody"] = [];
  for (const [target, base] of [
    ["an instance directly", options.instanceUrl],
    ["through nginx", lbUrl],
  ] as const) {
    const result = await slowChunkedPost(`${base}/api/uploads`, { cookie: other.cookieHeader(), origin: base }, 1024 * 1024);
    chunkedBody.push({ target, status: result.status, code: result.code, bytesSentWhenAnswered: result.sent, bodyBytes: 1024 * 1024 });
  }
  return {
    cropFlood: { crops: 40, statuses: tally(floodStatuses), otherUserStatus: during.status, otherUserMs: during.ms, otherUserAloneMs: alone.ms, megapixels: (width * height) / 1e6 },
    presignBurst: { requests: burstSize, limit: options.uploadsPerHour, statuses: tally(burst) },
    chunkedBody,
  };
}
