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

// Inside lib/ the layers point one way as well: the adapters (storage, images, http) know no use case
// and no sign-in concern, and sign-in knows no use case; what a use case needs from them goes in as an
// argument (a callback), and what both sides need sits in the lower one (lib/bytes.ts).
const LIB_LAYERS = [
  { folder: "storage", below: ["avatars", "auth", "http", "images"] },
  { folder: "images", below: ["avatars", "auth", "http", "storage"] },
  { folder: "http", below: ["avatars", "images", "storage"] },
  { folder: "auth", below: ["avatars"] },
];
const libLayerRules = LIB_LAYERS.map(({ folder, below }) => ({
  files: [`lib/${folder}/**`],
  ignores: ["**/*.test.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          notFromTooling,
          { group: below.flatMap((name) => [`@/lib/${name}/**`, `../${name}/**`]), message: `lib/${folder} sits below lib/{${below.join(",")}}: pass what it needs in, or move the shared bit down.` },
        ],
      },
    ],
  },
}));

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "node_modules/**", ".data/**", "bench/tmp/**", ".cache/**", "wasm/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
  {
    files: ["lib/**", "proxy.ts", "instrumentation.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [notFromTooling] }] },
  },
  ...libLayerRules,
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
