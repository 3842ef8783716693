import type { Page } from "@playwright/test";

import { Wizard } from "../pages/wizard";
import { phonePhoto, plainJpeg } from "../support/pictures";

import { LB_ORIGIN } from "./config";
import { expect, expectAvatarIsCrop, formatServed, recordServedBy, stepCalls, test, type Served } from "./fixtures";

/** The wizard in Chromium through nginx, with instances dying and restarting under it. */

let counter = 0;
const newUserName = (label: string) => `${label}-${Date.now()}-${++counter}`;

const instancesOf = (served: Served[]) => [...new Set(served.map((s) => s.servedBy))].sort();

async function avatarSrc(wizard: Wizard): Promise<string> {
  return (await wizard.headerAvatar().getAttribute("src"))!;
}

async function userId(page: Page): Promise<string> {
  return ((await (await page.request.get("/api/auth/session")).json()) as { user: { id: string } }).user.id;
}

/** Every rendition of the current avatar answers, and the history holds exactly this avatar: nothing half-written. */
async function expectWholeAvatar(page: Page, avatarId: string) {
  const id = await userId(page);
  for (const size of [64, 128, 256, 512]) {
    const redirect = await page.request.get(`/avatars/${id}/${size}`, { maxRedirects: 0 });
    expect(redirect.status(), `/avatars/<user>/${size}`).toBe(302);
    expect(redirect.headers()["location"]).toContain(`/renditions/${avatarId}/${size}.webp`);
    const rendition = await page.request.get(redirect.headers()["location"]!);
    expect(rendition.status(), `rendition ${size}`).toBe(200);
  }
  const history = (await (await page.request.get("/api/avatars?limit=50")).json()) as { items: { avatarId: string; current: boolean }[] };
  expect(history.items.map((item) => [item.avatarId, item.current])).toEqual([[avatarId, true]]);
}

test("one user's wizard: its steps are served by at least two different instances", async ({ page }) => {
  const served = recordServedBy(page);
  const wizard = new Wizard(page);
  await wizard.signIn(newUserName("spread"));
  await wizard.openUpload();
  const photo = await phonePhoto(31);
  await wizard.chooseFile(photo);
  await wizard.waitForCropStep();
  const crop = await wizard.crop();
  // The "served by" line under each step is for development builds only.
  await expect(page.getByTestId("served-by")).toHaveCount(0);
  await wizard.save();

  const steps = stepCalls(served);
  console.log(`steps of one wizard through nginx:\n  ${formatServed(steps)}`);
  console.log(`instances observed: steps ${instancesOf(steps).join(", ")}; all ${served.length} responses ${instancesOf(served).join(", ")}`);
  expect(steps.map((s) => s.path.split("/").pop())).toEqual(["uploads", "finish", "crop", "save"]);
  expect(steps.every((s) => s.status < 300)).toBe(true);
  expect(instancesOf(steps).length).toBeGreaterThanOrEqual(2);
  await expectAvatarIsCrop(page.request, await avatarSrc(wizard), photo.buffer, crop);
});

test("the instance that served step 1 is killed (SIGKILL); steps 2 and 3 finish on the others and the avatar is right", async ({
  page,
  cluster,
}) => {
  const served = recordServedBy(page);
  const wizard = new Wizard(page);
  await wizard.signIn(newUserName("survivor"));
  await wizard.openUpload();
  const photo = await phonePhoto(32);
  await wizard.chooseFile(photo);
  await wizard.waitForCropStep();

  const step1 = stepCalls(served);
  const victim = step1.find((s) => s.path.endsWith("/finish"))!.servedBy;
  const pid = cluster.instance(victim)!.pid;
  await cluster.kill(victim);
  const killedAt = served.length;
  console.log(`step 1:\n  ${formatServed(step1)}\nSIGKILLed ${victim} (pid ${pid}), the instance that completed step 1`);

  // The user keeps going on the page they have: crop, then save.
  const crop = await wizard.crop();
  const avatarId = await wizard.save();
  const later = served.slice(killedAt);
  console.log(`after the kill:\n  ${formatServed(stepCalls(later))}\n  (${later.length} responses, from ${instancesOf(later).join(", ")})`);
  expect(stepCalls(later).map((s) => s.path.split("/").pop())).toEqual(["crop", "save"]);
  expect(instancesOf(later)).not.toContain(victim);
  expect(cluster.instance(victim)).toBeUndefined();

  const difference = await expectAvatarIsCrop(page.request, await avatarSrc(wizard), photo.buffer, crop);
  console.log(`saved avatar ${avatarId}: mean pixel difference from the expected crop ${difference.toFixed(2)} (limit 8)`);
  await expectWholeAvatar(page, avatarId);
});

test("rolling restart: each instance in turn gets SIGTERM, drains, exits and starts again while a user walks the wizard", async ({
  page,
  cluster,
}) => {
  test.setTimeout(240_000); // a full round of restarts on a busy 2-core CI machine
  const served = recordServedBy(page);
  const wizard = new Wizard(page);
  await wizard.signIn(newUserName("rolling"));
  const photo = await phonePhoto(33);

  const started = Date.now();
  const timeline: string[] = [];
  const stamp = (what: string) => timeline.push(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s ${what}`);
  const exits: { id: string; code: number | null; signal: string | null }[] = [];
  let walking = true;
  const roller = (async () => {
    // At least one full round, and on until the user is done.
    for (let i = 0; walking || i < cluster.specs.length; i++) {
      const id = cluster.specs[i % cluster.specs.length]!.id;
      stamp(`SIGTERM ${id}`);
      const exit = await cluster.restart(id);
      exits.push({ id, ...exit });
      stamp(`${id} exited (${exit.signal ?? `code ${exit.code}`}), started again`);
    }
  })();

  let avatarId: string;
  let crop: Awaited<ReturnType<Wizard["crop"]>>;
  try {
    // A user who takes a moment between steps, as people do.
    await wizard.openUpload();
    await page.waitForTimeout(800);
    await wizard.chooseFile(photo);
    await wizard.waitForCropStep();
    stamp("user: step 1 done");
    await page.waitForTimeout(800);
    crop = await wizard.crop();
    stamp("user: step 2 done");
    await page.waitForTimeout(800);
    avatarId = await wizard.save();
    stamp("user: step 3 done");
  } finally {
    walking = false;
    await roller;
  }
  console.log(`rolling restart timeline:\n  ${timeline.join("\n  ")}`);
  console.log(`wizard steps:\n  ${formatServed(stepCalls(served))}`);
  console.log(`instances observed: ${instancesOf(served).join(", ")}`);

  const userDone = timeline.findIndex((line) => line.includes("step 3 done"));
  expect(timeline.slice(0, userDone).filter((line) => line.includes("SIGTERM")).length, "restarts during the wizard").toBeGreaterThanOrEqual(2);
  // Every instance drained and exited on its own (Next's 143 after SIGTERM), none had to be killed.
  expect(exits.every((e) => e.code === 143), JSON.stringify(exits)).toBe(true);
  // No instance failed a request. When nginx had no instance to offer for a moment (every one
  // restarting or marked failed), the browser's client retried the 502 and the user never saw it.
  const retried = served.filter((s) => s.status >= 500 && s.servedBy === "lb");
  console.log(`load balancer 502s retried by the browser without the user noticing: ${retried.length}`);
  expect(served.filter((s) => s.status >= 500 && s.servedBy !== "lb")).toEqual([]);
  await expectAvatarIsCrop(page.request, await avatarSrc(wizard), photo.buffer, crop);
  await expectWholeAvatar(page, avatarId);
});

test("two users walk the wizard at the same time and each sees only their own upload and avatar", async ({ browser }) => {
  const users = await Promise.all(
    [41, 42].map(async (seed) => {
      const context = await browser.newContext({ baseURL: LB_ORIGIN });
      const page = await context.newPage();
      return { seed, context, page, wizard: new Wizard(page), served: recordServedBy(page), picture: await plainJpeg(1000 + seed * 10, 800, seed) };
    }),
  );
  const results = await Promise.all(
    users.map(async (user) => {
      await user.wizard.signIn(newUserName(`parallel-${user.seed}`));
      await user.wizard.openUpload();
      await user.wizard.chooseFile({ name: `pic-${user.seed}.jpg`, mimeType: "image/jpeg", buffer: user.picture });
      await user.wizard.waitForCropStep();
      const uploadId = user.wizard.uploadIdFromUrl();
      const crop = await user.wizard.crop();
      const avatarId = await user.wizard.save();
      return { uploadId, crop, avatarId };
    }),
  );
  for (const [i, user] of users.entries()) {
    console.log(`user ${i + 1} steps:\n  ${formatServed(stepCalls(user.served))}`);
  }
  const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
  expect(a.avatarId).not.toBe(b.avatarId);

  for (const [i, user] of users.entries()) {
    const mine = results[i]!;
    const theirs = results[1 - i]!;
    const history = (await (await user.page.request.get("/api/avatars?limit=50")).json()) as { items: { avatarId: string }[] };
    expect(history.items.map((item) => item.avatarId)).toEqual([mine.avatarId]);
    await expect(user.wizard.headerAvatar()).toHaveAttribute("data-avatar-id", mine.avatarId);
    await expectAvatarIsCrop(user.page.request, await avatarSrc(user.wizard), user.picture, mine.crop);
    // The other user's upload and avatar do not exist for this user.
    const crop = await user.page.request.post(`/api/uploads/${theirs.uploadId}/crop`, {
      data: { left: 0, top: 0, width: 10, height: 10, rotation: 0 },
      headers: { origin: LB_ORIGIN },
    });
    expect(crop.status()).toBe(404);
    const select = await user.page.request.post(`/api/avatars/${theirs.avatarId}/select`, { headers: { origin: LB_ORIGIN } });
    expect(select.status()).toBe(404);
  }
  await Promise.all(users.map((user) => user.context.close()));
});
