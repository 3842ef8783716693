import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const processEnvRule = {
  "no-restricted-properties": [
    "error",
    { object: "process", property: "env", message: "Read configuration through lib/env.ts (getEnv) so it is validated in one place." },
  ],
};

// Dependencies point one way: tests, e2e, bench and scripts use the product, never the reverse.
// (Unit tests beside the code are tests: they may use the test harness.)
const notFromTooling = {
  group: ["@/test/**", "@/e2e/**", "@/bench/**", "@/scripts/**"],
  message: "The product does not import tests, e2e, bench or scripts; they import it.",
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "node_modules/**", ".data/**", "bench/tmp/**", ".cache/**", "wasm/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
  {
    files: ["lib/**", "proxy.ts", "instrumentation.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [notFromTooling] }] },
  },
  {
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@aws-sdk/*"], message: "Pages and route handlers call lib/; only lib/storage talks to S3." },
            { group: ["sharp"], message: "Pages and route handlers call lib/; only lib/images uses sharp." },
            notFromTooling,
          ],
        },
      ],
    },
  },
  // lib/cli/load-env.ts loads the .env files into process.env for the command-line scripts.
  { files: ["app/**", "components/**", "lib/**"], ignores: ["lib/env.ts", "lib/cli/load-env.ts"], rules: processEnvRule },
]);
