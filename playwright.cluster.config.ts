import { defineConfig } from "@playwright/test";

import base from "./playwright.config";
import { LB_ORIGIN } from "./e2e/cluster/config";

/**
 * The multi-instance suite (npm run test:e2e:cluster): three standalone instances behind nginx,
 * Chromium talking to nginx only. Same browser setup as playwright.config.ts.
 */
export default defineConfig({
  ...base,
  testDir: "e2e/cluster",
  testMatch: "**/*.spec.ts",
  testIgnore: [],
  globalSetup: "./e2e/cluster/global-setup.ts",
  timeout: 120_000,
  workers: 1,
  fullyParallel: false,
  outputDir: "test-results/cluster",
  use: { ...base.use, baseURL: LB_ORIGIN },
});
