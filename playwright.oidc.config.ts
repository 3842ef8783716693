import { defineConfig } from "@playwright/test";

import base from "./playwright.config";
import { APP_URL } from "./e2e/oidc/config";

/**
 * The sign-in tier (npm run test:e2e:oidc): a production build with the development sign-in off,
 * behind nginx terminating TLS, signing in through a real OpenID provider on loopback. The test
 * certificate is made per run, so Chromium is told to accept it.
 */
export default defineConfig({
  ...base,
  testDir: "e2e/oidc",
  testMatch: "**/*.spec.ts",
  testIgnore: [],
  globalSetup: "./e2e/oidc/global-setup.ts",
  timeout: 90_000,
  workers: 1,
  fullyParallel: false,
  outputDir: "test-results/oidc",
  use: { ...base.use, baseURL: APP_URL, ignoreHTTPSErrors: true },
});
