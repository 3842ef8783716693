import sharp from "sharp";

import type { AvatarPage, AvatarView, CropResult } from "@/lib/avatars/api-types";
import { ApiUser } from "@/test/harness/api-user";
import { photoLike } from "@/test/harness/images";
import { portIsOpen } from "@/tools/ports";

import { slowPost } from "./api";
import { LB_ORIGIN } from "./config";
import { expect, logLines, test } from "./fixtures";

/**
 * SIGTERM drains: the request in flight finishes 2xx, new connections are refused, the process
 * exits by itself. The request is a crop (then a save) of a large photo sent straight to one
 * instance, with its body held back until after the signal so it is certainly in flight.
 */

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

test("SIGTERM during a crop and during a save: both finish 2xx, new connections are refused, the process exits, the avatar is whole", async ({
  cluster,
}) => {
  const user = await ApiUser.signIn(`drain-${Date.now()}`, LB_ORIGIN);
  const photo = await sharp(await photoLike(4000, 3000, 7)).jpeg({ quality: 92 }).toBuffer();
  const { uploadId, state: { displayed } } = await user.uploadReady(photo);
  const cookie = await user.cookieHeader();
  const report: string[] = [`photo 4000x3000, ${(photo.length / 1e6).toFixed(1)} MB, upload ${uploadId}`];

  const side = Math.min(displayed.width, displayed.height);
  const steps = [
    { name: "crop", id: cluster.specs[1]!.id, path: `/api/uploads/${uploadId}/crop`, body: { left: 500, top: 0, width: side, height: side, rotation: 0 } },
    { name: "save", id: cluster.specs[2]!.id, path: `/api/uploads/${uploadId}/save`, body: {} as Record<string, unknown> },
  ];
  let cropId = "";
  let avatarId = "";
  for (const step of steps) {
    if (step.name === "save") step.body = { cropId };
    const instance = cluster.instance(step.id)!;
    const started = Date.now();
    const at = () => `${String(Date.now() - started).padStart(5)} ms`;
    const pending = slowPost(instance.url, step.path, cookie, step.body);
    await new Promise((resolve) => setTimeout(resolve, 300)); // headers are in; the body is not
    instance.signal("SIGTERM");
    report.push(`${at()} ${step.name}: request open on ${step.id} (pid ${instance.pid}), SIGTERM sent`);
    await waitUntil("listener closed", async () => !(await portIsOpen(instance.spec.port)), 5_000);
    report.push(`${at()} ${step.name}: new connection to :${instance.spec.port} refused; process still running: ${instance.running}`);
    expect(instance.running).toBe(true);
    const response = await pending.finish();
    report.push(`${at()} ${step.name}: response ${response.status} (connection: ${response.headers.connection}) <- ${response.headers["x-served-by"]}`);
    expect(response.status).toBeLessThan(300);
    expect(response.headers["x-served-by"]).toBe(step.id);
    expect(response.headers.connection).toBe("close");
    const exit = await instance.exited;
    report.push(`${at()} ${step.name}: ${step.id} exited (${exit.signal ?? `code ${exit.code}`})`);
    expect(exit.code).toBe(143);
    const draining = logLines(cluster, step.id).filter((line) => line.msg === "SIGTERM: draining").at(-1);
    expect(draining?.inFlight).toBeGreaterThanOrEqual(1);
    report.push(`        log: ${JSON.stringify(draining)}`);
    if (step.name === "crop") cropId = (JSON.parse(response.body) as CropResult).cropId;
    else avatarId = (JSON.parse(response.body) as AvatarView).avatarId;
    await cluster.startOne(step.id);
  }
  console.log(report.join("\n"));

  // The avatar saved by the draining instance is whole: all renditions, history and pointer.
  expect(avatarId).toBe(cropId);
  for (const size of [64, 128, 256, 512]) {
    const redirect = await user.request.get(`/avatars/${user.id}/${size}`, { maxRedirects: 0 });
    expect(redirect.status()).toBe(302);
    expect(redirect.headers()["location"]).toContain(`/renditions/${avatarId}/${size}.webp`);
    expect((await fetch(redirect.headers()["location"]!)).status).toBe(200);
  }
  const history = (await (await user.request.get("/api/avatars")).json()) as AvatarPage;
  expect(history.items.map((item) => [item.avatarId, item.current])).toEqual([[avatarId, true]]);
  await user.dispose();
});
