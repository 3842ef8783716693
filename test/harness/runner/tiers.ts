/**
 * Every tier `npm test` runs, in order. To add one: add an entry here (and, for a new Playwright
 * tier, its config); the runner, the summary and `npm run test:repeat` pick it up.
 */
export type RealS3Need = {
  /** >0: a lifecycle "day" of that many seconds (the conformance suite waits for a real expiry); 0: 24 h. */
  lcDaySeconds: number;
};

export type Tier = {
  name: string;
  kind: "check" | "vitest" | "playwright";
  /** The command's arguments: eslint's or tsc's for a check, vitest's or `playwright test`'s otherwise. */
  args: string[];
  /** Runs under this Node.js major instead of the runner's own (required in CI). */
  nodeMajor?: string;
  /** Runs against a real S3: S3_TEST_* from outside, else a throw-away Ceph RGW (required in CI). */
  realS3?: RealS3Need;
  /** A Playwright tier that makes its own production build even when the run already has one. */
  ownBuild?: boolean;
  /**
   * "side": runs in the runner's second lane, beside the main lane's browser tiers (run-tiers.ts).
   * Only for a tier that takes no port a main-lane tier takes and leaves the project's .next alone.
   */
  lane?: "side";
  /** Part of `npm run test:quick`. */
  quick?: boolean;
  /** Configuration the tier's app runs with (a Playwright tier's global setup passes its environment on). */
  env?: Record<string, string>;
  /** Builds and runs the container image: needs podman, runc and debootstrap (required in CI). */
  containers?: boolean;
};

export const TIERS: Tier[] = [
  { name: "lint", kind: "check", args: ["node_modules/eslint/bin/eslint.js", "--max-warnings=0", "."], quick: true },
  { name: "typecheck", kind: "check", args: ["node_modules/typescript/bin/tsc", "--noEmit"], quick: true },
  { name: "unit", lane: "side", kind: "vitest", args: ["--project", "unit"], quick: true },
  { name: "integration", lane: "side", kind: "vitest", args: ["--project", "integration"] },
  { name: "e2e", kind: "playwright", args: [] },
  // The variant tiers rerun only the tests tagged @upload: what depends on how the file reaches S3.
  // History, authorization and the pages do not, and run once, in tier e2e.
  // The browser-side upload features off (today's flow): the wizard's uploads, and the original sent as it is.
  { name: "e2e-upload-plain", kind: "playwright", args: ["e2e/wizard.spec.ts", "e2e/shrink-upload.spec.ts", "--grep", "@upload"], env: { UPLOAD_CLIENT_RESIZE: "false", UPLOAD_EARLY_CROP: "false" } },
  // Uploads by presigned PUT (stores without browser POST, such as R2): the wizard's uploads and what S3 enforces.
  { name: "e2e-upload-put", kind: "playwright", args: ["e2e/wizard.spec.ts", "e2e/s3-policy.spec.ts", "--grep", "@upload"], env: { S3_UPLOAD_METHOD: "put" } },
  { name: "e2e-oidc", kind: "playwright", args: ["-c", "playwright.oidc.config.ts"] },
  { name: "conformance", lane: "side", kind: "vitest", args: ["--project", "conformance"], realS3: { lcDaySeconds: 3 } },
  // What only a store that enforces signatures, policies, CORS and privacy shows: the wizard, the
  // upload policy, the bucket's privacy and presigned reads, a canvas drawing a CORS read, and the
  // deletes and conditional writes; the rest of the suite does not depend on the store (tier e2e).
  // A lifecycle day stays 24 h here: a short one would expire uploads/ in the middle of the wizard.
  {
    name: "e2e-real-s3",
    kind: "playwright",
    args: ["e2e/wizard.spec.ts", "e2e/s3-policy.spec.ts", "e2e/security.spec.ts", "e2e/crop-preview.spec.ts", "e2e/delete-my-data.spec.ts", "e2e/default-avatar.spec.ts"],
    realS3: { lcDaySeconds: 0 },
  },
  { name: "e2e-real-s3-put", kind: "playwright", args: ["e2e/wizard.spec.ts", "e2e/s3-policy.spec.ts", "--grep", "@upload"], realS3: { lcDaySeconds: 0 }, env: { S3_UPLOAD_METHOD: "put" } },
  // Vercel's builder (`vercel build`, offline) on a copy of the project: sharp's binaries, Node 24, sizes, headers.
  { name: "vercel-build", lane: "side", kind: "vitest", args: ["--project", "vercel"] },
  { name: "e2e-cluster", kind: "playwright", args: ["-c", "playwright.cluster.config.ts"] },
  // The image the Dockerfile builds (both targets), run as a deployment runs it: three containers
  // (runc, read-only, the image's USER and CMD) behind nginx on Ceph, the setup target first; the
  // cluster's core specs against them (wizard, kill, rolling restart, drain on SIGTERM), and what
  // only the image shows (HEALTHCHECK, USER, font).
  {
    name: "container",
    lane: "side",
    kind: "playwright",
    args: ["-c", "playwright.cluster.config.ts", "e2e/cluster/wizard.spec.ts", "e2e/cluster/drain.spec.ts", "e2e/cluster/container.spec.ts", "--grep-invert", "two users"],
    realS3: { lcDaySeconds: 0 },
    // Ports clear of tier e2e-cluster's (3300-3310, 4591, 4611), which may run at the same time in the main lane.
    env: { E2E_CLUSTER_CONTAINER: "1", E2E_CLUSTER_PORT: "3700", E2E_CLUSTER_S3_PORT: "4599", E2E_CLUSTER_OIDC_PORT: "4613" },
    containers: true,
  },
  { name: "unit-node22", lane: "side", kind: "vitest", args: ["--project", "unit"], nodeMajor: "22" },
  { name: "integration-node22", lane: "side", kind: "vitest", args: ["--project", "integration"], nodeMajor: "22" },
  // Builds under Node 22 too (the build is part of what "Node 22 is supported" means), then a smoke:
  // the whole walk on that build. Everything else in the browser depends on Chromium, not on Node.
  { name: "e2e-node22", kind: "playwright", args: ["e2e/wizard.spec.ts", "--grep", "@smoke"], nodeMajor: "22", ownBuild: true },
];

export function tierNamed(name: string): Tier | undefined {
  return TIERS.find((tier) => tier.name === name);
}
