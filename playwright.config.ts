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

const chromiumArgs = [
  // Needed as root in CI containers, and to keep Chromium off the (closed) network.
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
/** The camera specs run in browsers of their own: these flags are per browser, not per context. */
const CAMERA_SPEC = "**/camera.spec.ts";
const CAMERA_DENIED_SPEC = "**/camera-denied.spec.ts";

/** Chromium's launch options for a project or a spec that adds flags of its own (e2e/oidc/preview.spec.ts). */
export const chromiumLaunchOptions = (extraArgs: string[] = []) => ({ executablePath, args: [...chromiumArgs, ...extraArgs] });

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  // Tiers of their own: the multi-instance suite (playwright.cluster.config.ts) and sign-in through
  // a real OpenID provider behind TLS (playwright.oidc.config.ts).
  testIgnore: ["cluster/**", "oidc/**", CAMERA_SPEC, CAMERA_DENIED_SPEC],
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
      use: { ...devices["Desktop Chrome"], launchOptions: { executablePath, args: chromiumArgs } },
    },
    {
      // Chromium's fake camera (a generated moving picture) and its auto-accepted permission prompt.
      name: "chromium-fake-camera",
      testMatch: CAMERA_SPEC,
      testIgnore: [],
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: { executablePath, args: [...chromiumArgs, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"] },
      },
    },
    {
      // The fake camera without the auto-accepting prompt, so a permission set to "denied" holds.
      name: "chromium-fake-camera-denied",
      testMatch: CAMERA_DENIED_SPEC,
      testIgnore: [],
      use: { ...devices["Desktop Chrome"], launchOptions: { executablePath, args: [...chromiumArgs, "--use-fake-device-for-media-stream"] } },
    },
  ],
});
