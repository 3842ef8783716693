import { existsSync } from "node:fs";

import { defineConfig, devices } from "@playwright/test";

import { APP_ORIGIN } from "./e2e/single/config";

/**
 * Chromium: Playwright's own browser where it is installed (a laptop after `npx playwright install`),
 * otherwise the system's (Debian's `chromium` package; CI installs it). PLAYWRIGHT_CHROMIUM_EXECUTABLE
 * overrides both.
 */
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (process.env.PLAYWRIGHT_USE_BUNDLED === "1" ? undefined : systemChromium);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  // Tiers of their own: the multi-instance suite (playwright.cluster.config.ts) and sign-in through
  // a real OpenID provider behind TLS (playwright.oidc.config.ts).
  testIgnore: ["cluster/**", "oidc/**"],
  globalSetup: "./e2e/single/global-setup.ts",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"]],
  use: {
    baseURL: APP_ORIGIN,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath,
          args: [
            // Needed as root in CI containers, and to keep Chromium off the (closed) network.
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
});
