import { request as playwrightRequest } from "@playwright/test";

import { Wizard } from "../pages/wizard";

import { cookieHeader, expect, recordServedBy, test } from "./fixtures";

test("a session made through one instance is accepted by every instance (JWT, no session store)", async ({ page, cluster }) => {
  const served = recordServedBy(page);
  const wizard = new Wizard(page);
  await wizard.signIn(`session-${Date.now()}`);
  const signedInBy = [...new Set(served.filter((s) => s.path.startsWith("/api/auth/")).map((s) => `${s.method} ${s.path} <- ${s.servedBy}`))];
  const me = ((await (await page.request.get("/api/auth/session")).json()) as { user: { id: string } }).user.id;
  const cookie = await cookieHeader(page.context());
  expect(cookie).toContain("next-auth.session-token=");

  // A client with nothing but the cookie header, straight to each instance's own port.
  const direct = await playwrightRequest.newContext({ extraHTTPHeaders: { cookie } });
  const anonymous = await playwrightRequest.newContext();
  const seen: string[] = [];
  for (const instance of cluster.instances()) {
    const session = await direct.get(`${instance.url}/api/auth/session`);
    expect(session.headers()["x-served-by"]).toBe(instance.spec.id);
    expect(((await session.json()) as { user?: { id: string } }).user?.id).toBe(me);
    const avatars = await direct.get(`${instance.url}/api/avatars`);
    expect(avatars.status()).toBe(200);
    const wizardPage = await direct.get(`${instance.url}/avatar/new`, { maxRedirects: 0 });
    expect(wizardPage.status()).toBe(200);
    expect(wizardPage.headers()["x-served-by"]).toBe(instance.spec.id);
    // Control: the same requests without the cookie are refused.
    expect((await anonymous.get(`${instance.url}/api/avatars`)).status()).toBe(401);
    seen.push(`${instance.spec.id} (${instance.url}): session ${me}, /api/avatars 200, /avatar/new 200; without cookie 401`);
  }
  console.log(`signed in through nginx:\n  ${signedInBy.join("\n  ")}\nthen, with the cookie alone:\n  ${seen.join("\n  ")}`);
  expect(seen).toHaveLength(cluster.specs.length);
  await direct.dispose();
  await anonymous.dispose();
});
