/**
 * `npm run bench:stable-flood`: the stable URL under an anonymous flood (SECURITY.md row 43).
 * Against a running local cluster (`METRICS_TOKEN=<32+ chars> npm run cluster`, defaults: nginx on
 * :3200, instances on :3201-3203): a signed-in user's crop + save through nginx, quiet, then while
 * FLOOD_CONNECTIONS connections ask one instance for random users' avatars for FLOOD_SECONDS; and
 * that instance's S3 calls and CPU per anonymous request (its /api/metrics). Prints the figures as
 * ratios. The flood's ids are random hex of the user id's length (FLOOD_ID_HEX, default 28): what
 * anyone can make up, whose tags the deployment did not compute.
 *
 *   CLUSTER_PORT=3200 METRICS_TOKEN=… npm run bench:stable-flood
 */
import { randomBytes } from "node:crypto";

import { ApiUser } from "@/test/harness/api-user";
import { photoLike } from "@/test/harness/images";

import { formatLoad, loadAverage, machineFacts } from "./machine";

const port = Number(process.env.CLUSTER_PORT ?? 3200);
const lb = `http://127.0.0.1:${port}`;
const target = `http://127.0.0.1:${port + 1}`;
const token = process.env.METRICS_TOKEN ?? "";
const connections = Number(process.env.FLOOD_CONNECTIONS ?? 60);
const seconds = Number(process.env.FLOOD_SECONDS ?? 8);
const walks = Number(process.env.WALKS ?? 5);
const idBytes = Number(process.env.FLOOD_ID_HEX ?? 28) / 2;

/** The flooded instance's S3 calls so far, and its process CPU seconds (prom-client's default metric). */
async function instanceCounters(): Promise<{ s3: number; cpu: number }> {
  const response = await fetch(`${target}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${target}/api/metrics answered ${response.status}: start the cluster with METRICS_TOKEN set`);
  const lines = (await response.text()).split("\n");
  const sum = (name: string) => lines.filter((line) => line.startsWith(name)).reduce((total, line) => total + Number(line.split(" ").pop()), 0);
  return { s3: sum("avatar_relay_s3_requests_total"), cpu: sum("process_cpu_seconds_total") };
}

/** One crop + save of a ready upload through nginx, in ms. */
async function cropAndSave(user: ApiUser, photo: Buffer): Promise<number> {
  const { uploadId, state } = await user.uploadReady(photo);
  const started = performance.now();
  await user.save(uploadId, await user.crop(uploadId, state.displayed));
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function flood(until: number, statuses: Map<number | string, number>): Promise<void> {
  while (Date.now() < until) {
    const id = randomBytes(idBytes).toString("hex");
    const status = await fetch(`${target}/avatars/${id}/64`)
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      })
      .catch((error: Error) => error.message);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
}

async function main() {
  const user = await ApiUser.signIn(`flood-probe-${Date.now()}`, lb);
  const photo = await photoLike(1600, 1200, 5);
  await cropAndSave(user, photo); // warm-up
  const quiet: number[] = [];
  for (let i = 0; i < walks; i++) quiet.push(await cropAndSave(user, photo));

  const statuses = new Map<number | string, number>();
  const before = await instanceCounters();
  const until = Date.now() + seconds * 1000;
  const flooding = Promise.all(Array.from({ length: connections }, () => flood(until, statuses)));
  const during: number[] = [];
  while (Date.now() < until - 1500 && during.length < walks) during.push(await cropAndSave(user, photo));
  await flooding;
  const after = await instanceCounters();
  const calls = after.s3 - before.s3;
  const requests = [...statuses.values()].reduce((a, b) => a + b, 0);
  await user.dispose();

  const machine = machineFacts();
  console.log(`machine: ${JSON.stringify(machine)}; load ${formatLoad(loadAverage())}`);
  console.log(`flood: ${connections} connections on ${target} for ${seconds} s: ${requests} answers ${JSON.stringify(Object.fromEntries(statuses))}`);
  console.log(`S3 calls by that instance during the flood (the signed-in walks through nginx included): ${calls}; per anonymous request ${(calls / requests).toFixed(3)}`);
  console.log(`that instance's CPU during the flood (the walks' share included): ${(after.cpu - before.cpu).toFixed(2)} s, ${(((after.cpu - before.cpu) * 1000) / requests).toFixed(3)} ms per anonymous request`);
  console.log(`crop + save through nginx: quiet median ${median(quiet).toFixed(0)} ms (${quiet.map((v) => v.toFixed(0)).join(", ")}); during the flood median ${median(during).toFixed(0)} ms (${during.map((v) => v.toFixed(0)).join(", ")}); ratio ${(median(during) / median(quiet)).toFixed(2)}×`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
