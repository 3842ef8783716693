import { request as playwrightRequest } from "@playwright/test";

import type { Page } from "@playwright/test";

import { Wizard } from "../pages/wizard";
import { signInThroughProvider } from "../support/oidc-sign-in";

import { LB_ORIGIN, OIDC_CLIENT, OIDC_PORT } from "./config";
import { cookieHeader, expect, recordServedBy, test, type Served } from "./fixtures";

const signIns: Record<string, (page: Page) => Promise<void>> = {
  "the development sign-in": (page) => new Wizard(page).signIn(`session-${Date.now()}`),
  "OpenID Connect": (page) =>
    signInThroughProvider(page, `cluster-oidc-${Date.now()}`, {
      appOrigin: LB_ORIGIN,
      providerOrigin: `http://127.0.0.1:${OIDC_PORT}`,
      buttonName: `Sign in with ${OIDC_CLIENT.name}`,
    }),
};

for (const [how, signIn] of Object.entries(signIns)) {
  test(`a session made through ${how} on one instance is accepted by every instance (JWT, no session store)`, async ({ page, cluster }) => {
    const served: Served[] = recordServedBy(page);
    await signIn(page);
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
}
