import { test as base, expect, type Page } from "@playwright/test";

import { Cluster } from "@/tools/cluster";
import { OidcProvider } from "@/test/harness/oidc-provider";
import { authorizationUrlOf, completeLoginAtProvider, signInThroughProvider } from "../support/oidc-sign-in";

import { APP_URL, LB_PORT, OIDC_CLIENT, OIDC_PORT, PREVIEW_URL } from "./config";

export { callbackFromProvider } from "../support/oidc-sign-in";

/**
 * Per worker: the OpenID provider (its own process) and one production instance behind nginx
 * terminating TLS. Before every test both are checked (and the provider started again if a test
 * stopped it), so tests do not depend on their order.
 */
export const test = base.extend<{ app: Cluster; provider: OidcProvider }, { workerApp: Cluster; workerProvider: OidcProvider }>({
  workerProvider: [
    async ({}, provide) => {
      const provider = new OidcProvider({
        port: OIDC_PORT,
        clientId: OIDC_CLIENT.id,
        clientSecret: OIDC_CLIENT.secret,
        // The preview's too: an OIDC client may list several (preview.spec.ts).
        redirectUris: [`${APP_URL}/api/auth/callback/oidc`, `${PREVIEW_URL}/api/auth/callback/oidc`],
      });
      await provider.start();
      await provide(provider);
      await provider.stop();
    },
    { scope: "worker", timeout: 60_000 },
  ],
  workerApp: [
    async ({}, provide) => {
      const artifactDir = process.env.E2E_OIDC_ARTIFACT;
      const env = process.env.E2E_OIDC_ENV;
      const tls = process.env.E2E_OIDC_TLS;
      if (!artifactDir || !env || !tls) throw new Error("run with -c playwright.oidc.config.ts (its globalSetup stages the app)");
      const app = new Cluster({
        runtime: artifactDir,
        port: LB_PORT,
        instances: 1,
        env: JSON.parse(env) as Record<string, string>,
        logDir: process.env.E2E_OIDC_LOG_DIR,
        idPrefix: "oidc-app-",
        tls: JSON.parse(tls) as { certificate: string; key: string },
      });
      await app.start();
      await provide(app);
      await app.stop();
    },
    { scope: "worker", timeout: 180_000 },
  ],
  provider: [
    async ({ workerProvider }, provide) => {
      await workerProvider.start();
      await provide(workerProvider);
    },
    { auto: true },
  ],
  app: [
    async ({ workerApp }, provide) => {
      await workerApp.ensureAllRunning();
      await workerApp.assertHealthy();
      await provide(workerApp);
    },
    { auto: true },
  ],
});

export { expect };

/** Signs in through the test provider's own login and consent pages (e2e/support/oidc-sign-in.ts). */
export const signInWithProvider = (page: Page, login: string, returnTo = "/") => signInThroughProvider(page, login, { ...WHERE, returnTo });
export const completeProviderLogin = (page: Page, login: string) => completeLoginAtProvider(page, login, WHERE);
export const authorizationUrl = (page: Page) => authorizationUrlOf(page, WHERE);

export const PROVIDER_ORIGIN = `http://127.0.0.1:${OIDC_PORT}`;
const WHERE = { appOrigin: APP_URL, providerOrigin: PROVIDER_ORIGIN, buttonName: `Sign in with ${OIDC_CLIENT.name}` };
