import { Wizard } from "../pages/wizard";

import { LB_ORIGIN } from "./config";
import { expect, test } from "./fixtures";

/**
 * Page navigations, not only API calls, across a rolling restart: client-side navigations (an RSC
 * fetch, plus any script chunk the new page needs) and full reloads with the browser cache off (the
 * document and every script through nginx). None may show an error page, and nginx may answer no
 * page or script with 5xx while at least one instance is up.
 */

const ROUNDS = 3;

const PAGES = [
  { link: "History", path: "/avatar/history", heading: "Your avatars" },
  { link: "Change avatar", path: "/avatar/new", heading: "Choose a picture" },
] as const;

test("navigations during a rolling restart never show an error page", async ({ page, cluster }) => {
  test.setTimeout(240_000);
  const failures: string[] = [];
  page.on("response", (response) => {
    const type = response.request().resourceType();
    if (response.url().startsWith(LB_ORIGIN) && response.status() >= 500 && ["document", "script", "fetch", "stylesheet"].includes(type)) {
      failures.push(`${response.status()} ${type} ${new URL(response.url()).pathname} <- ${response.headers()["x-served-by"] ?? "?"}`);
    }
  });
  page.on("requestfailed", (request) => {
    // ERR_ABORTED: the browser itself cancelled it (a link prefetch cut short by the next navigation).
    if (request.url().startsWith(LB_ORIGIN) && request.failure()?.errorText !== "net::ERR_ABORTED") failures.push(`failed ${request.resourceType()} ${new URL(request.url()).pathname}: ${request.failure()?.errorText}`);
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });

  const wizard = new Wizard(page);
  await wizard.signIn(`navigator-${Date.now()}`);

  let restarting = 0; // instances between SIGTERM and started again
  let rolling = true;
  const exits: number[] = [];
  const roller = (async () => {
    for (let round = 0; round < ROUNDS; round++) {
      for (const spec of cluster.specs) {
        restarting++;
        const exit = await cluster.restart(spec.id);
        restarting--;
        exits.push(exit.code ?? -1);
      }
    }
    rolling = false;
  })();

  const counts = { client: 0, reload: 0, duringRestart: 0 };
  try {
    let current: (typeof PAGES)[number] = PAGES[1];
    await page.goto(current.path);
    for (let i = 0; rolling; i++) {
      const wasRestarting = restarting > 0;
      if (i % 3 === 2) {
        await page.reload();
        counts.reload++;
      } else {
        current = current === PAGES[0] ? PAGES[1] : PAGES[0];
        await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: current.link, exact: true }).click();
        await page.waitForURL((url) => url.pathname === current.path);
        counts.client++;
      }
      if (wasRestarting || restarting > 0) counts.duringRestart++;
      await expect(page.getByRole("heading", { name: current.heading })).toBeVisible();
      await expect(page.getByText(/couldn.t load|could not load/i)).toHaveCount(0);
      await expect(page.getByTestId("page-error")).toHaveCount(0);
    }
  } finally {
    rolling = false;
    await roller;
  }
  console.log(
    `navigations during a rolling restart (${ROUNDS} rounds, ${exits.length} restarts): ${counts.client} client-side, ${counts.reload} full reloads with the cache off; ${counts.duringRestart} while an instance was restarting`,
  );
  expect(exits.every((code) => code === 143), `exit codes ${exits.join(",")}`).toBe(true);
  expect(counts.duringRestart, "navigations while an instance was restarting").toBeGreaterThanOrEqual(8);
  expect(failures).toEqual([]);
});
