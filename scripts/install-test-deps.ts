/**
 * `npm run test:setup`: installs the system programs the test suite drives, when they are missing.
 *   - Chromium for Playwright. Debian's `chromium` package (Playwright cannot download its own
 *     browser on a closed network); on a laptop, Playwright's own browser is used when installed.
 *   - Ceph RGW, a real S3 implementation, for the conformance tier and the e2e run on real S3.
 *   - nginx, the load balancer in front of `npm run cluster` and the cluster e2e suite.
 *   - podman, buildah, runc and debootstrap for the container tier (the image built from the
 *     Dockerfile, on a base image made with debootstrap, run with runc).
 * As root on Debian/Ubuntu it installs them with apt-get; otherwise it says what to install.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const PACKAGES: Record<"chromium" | "ceph" | "nginx" | "containers", string[]> = {
  chromium: ["chromium", "fonts-liberation"],
  ceph: ["ceph-mon", "ceph-osd", "radosgw", "ceph-common"],
  nginx: ["nginx"],
  containers: ["podman", "buildah", "runc", "debootstrap"],
};

const onPath = (name: string) => spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;

async function playwrightChromium(): Promise<string | undefined> {
  try {
    const { chromium } = await import("@playwright/test");
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const haveChromium =
  Boolean(process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE) || onPath("chromium") || onPath("chromium-browser") || Boolean(await playwrightChromium());
// nginx lives in /usr/sbin, which is not on every user's PATH.
const haveNginx = Boolean(process.env.NGINX_BIN) || onPath("nginx") || existsSync("/usr/sbin/nginx");
// runc and debootstrap live in /usr/sbin too.
const haveContainers = ["podman", "buildah", "runc", "debootstrap"].every((name) => onPath(name) || existsSync(`/usr/sbin/${name}`));
const missing = [
  ...(haveChromium ? [] : PACKAGES.chromium),
  ...(onPath("radosgw") ? [] : PACKAGES.ceph),
  ...(haveNginx ? [] : PACKAGES.nginx),
  ...(haveContainers ? [] : PACKAGES.containers),
];

if (missing.length === 0) {
  console.log("test:setup: Chromium, Ceph RGW, nginx, podman, runc and debootstrap are present; nothing to install.");
  process.exit(0);
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (isRoot && onPath("apt-get")) {
  console.log(`test:setup: installing ${missing.join(" ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", ...missing]] as const) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (result.status !== 0) {
      console.error(`test:setup: apt-get ${args[0]} failed (exit ${result.status})`);
      process.exit(1);
    }
  }
  process.exit(0);
}

console.log("test:setup: some test programs are missing and this is not a root Debian/Ubuntu shell, so nothing was installed:");
if (!haveChromium) console.log("  - Chromium: run `npx playwright install chromium`, or install your OS's chromium and set PLAYWRIGHT_CHROMIUM_EXECUTABLE");
if (!onPath("radosgw")) console.log(`  - Ceph RGW (optional locally): sudo apt-get install --no-install-recommends ${PACKAGES.ceph.join(" ")}; without it the real-S3 tier reports DID NOT RUN`);
if (!haveContainers) console.log(`  - the container tier (optional locally, as root): sudo apt-get install ${PACKAGES.containers.join(" ")}; without them it reports DID NOT RUN`);
if (!haveNginx) console.log(`  - nginx (npm run cluster, test:e2e:cluster): sudo apt-get install ${PACKAGES.nginx.join(" ")} (or brew install nginx), or set NGINX_BIN`);
process.exit(haveChromium && haveNginx ? 0 : 1);
