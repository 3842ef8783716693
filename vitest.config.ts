import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const alias = {
  "@/": root,
  // Outside Next.js "server-only" throws on import; tests are server code, so it becomes a no-op.
  "server-only": fileURLToPath(new URL("./test/harness/server-only-stub.ts", import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts", "tools/**/*.test.ts", "test/harness/**/*.test.ts", "bench/**/*.test.ts"],
          environment: "node",
          // The image tests decode and encode real multi-megapixel pictures: about 1-3 s each alone,
          // several times that on a 2-core machine shared with builds and browsers (vitest's defaults,
          // 5 s and 10 s, were exceeded by a fixture hook under such load). A budget, not a retry.
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          // Vercel's own builder on a copy of the project, then assertions on .vercel/output.
          name: "vercel",
          include: ["test/vercel/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/vercel/global-setup.ts"],
          hookTimeout: 900_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "conformance",
          include: ["test/s3-conformance/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
