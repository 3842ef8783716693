import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const processEnvRule = {
  "no-restricted-properties": [
    "error",
    { object: "process", property: "env", message: "Read configuration through lib/env.ts (getEnv) so it is validated in one place." },
  ],
};

// Dependencies point one way: product <- tools <- {scripts, tests, e2e, bench}. The product imports
// none of the others; tools/ (what the product's own commands need) imports only the product.
// (Unit tests beside the code are tests: they may use the test harness and tools.)
const notFromTooling = {
  group: ["@/tools/**", "@/test/**", "@/e2e/**", "@/bench/**", "@/scripts/**"],
  message: "The product does not import tools, tests, e2e, bench or scripts; they import it.",
};
const notFromTests = {
  group: ["@/test/**", "@/e2e/**", "@/bench/**", "@/scripts/**", "**/test/**", "**/e2e/**", "**/bench/**", "**/scripts/**"],
  message: "tools/ serves the product's own commands (the Dockerfile, npm run dev, cluster, s3:setup): it imports the product only, and tests import it.",
};

// Inside lib/ the layers point one way as well: the adapters (storage, images, http) know no use case
// and no sign-in concern, and sign-in knows no use case; what a use case needs from them goes in as an
// argument (a callback), and what both sides need sits in the lower one (lib/bytes.ts).
const LIB_LAYERS = [
  { folder: "storage", below: ["avatars", "auth", "http", "images", "client", "limits"] },
  { folder: "images", below: ["avatars", "auth", "http", "storage", "limits"] },
  { folder: "limits", below: ["avatars", "auth", "http", "client"] },
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
    files: ["tools/**"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [notFromTests] }] },
  },
  // The product's own commands (not the test runner's) reach the product through tools/, never test/.
  {
    files: ["scripts/dev.ts", "scripts/cluster.ts", "scripts/bucket.ts", "scripts/stage-standalone.ts", "scripts/build-wasm.ts", "scripts/make-icons.ts", "scripts/with-node.mjs"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ ...notFromTests, message: "The product's own commands import lib/ and tools/, never the test zone." }] }] },
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
  { files: ["app/**", "components/**", "lib/**"], ignores: ["lib/env.ts"], rules: processEnvRule },
  // A component function is read at once: hooks (components/use-*.ts) and plain functions in lib/ carry the logic.
  {
    files: ["components/**/*.tsx", "app/**/*.tsx"],
    rules: { "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }] },
  },
]);
