import nextEnv from "@next/env";

/** Scripts read the same .env files, in the same order, as `next dev` (or `next start` with NODE_ENV=production). */
export function loadProjectEnv(): void {
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", { info: () => undefined, error: console.error });
}
