import { readFileSync } from "node:fs";
import path from "node:path";

import { DEVELOPMENT_SECRETS } from "@/lib/env";
import { getText, waitForHealthy } from "@/tools/http";
import { Instance } from "@/tools/instance";

import { SPARE_PORT } from "./config";
import { expect, test } from "./fixtures";

/**
 * What a production instance (NODE_ENV=production, the staged standalone server) does at start
 * with unsafe settings: it refuses, exits and names the variable, or, for the development sign-in
 * switched on on purpose, starts and warns.
 */

const baseEnv = (): Record<string, string> => JSON.parse(process.env.E2E_OIDC_ENV!) as Record<string, string>;

function startAlone(id: string, env: Record<string, string>): { instance: Instance; log: string } {
  const log = path.join(process.env.E2E_OIDC_LOG_DIR!, `${id}.log`);
  const instance = new Instance({ id, port: SPARE_PORT }, process.env.E2E_OIDC_ARTIFACT!, env, { kind: "file", path: log });
  return { instance, log };
}

async function refusal(id: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { instance, log } = startAlone(id, env);
  const timer = setTimeout(() => instance.signal("SIGKILL"), 30_000);
  const { code } = await instance.exited;
  clearTimeout(timer);
  await new Promise((resolve) => setTimeout(resolve, 100)); // the log stream's last lines
  return { code, output: readFileSync(log, "utf8") };
}

const without = (env: Record<string, string>, name: string) => Object.fromEntries(Object.entries(env).filter(([key]) => key !== name));

test("a production start refuses the committed development secret and key, short secrets, a missing NEXTAUTH_URL and a plain-http issuer, naming the variable", async () => {
  test.setTimeout(150_000);
  const cases: { name: string; env: Record<string, string>; says: RegExp }[] = [
    { name: "dev-secret", env: { ...baseEnv(), AUTH_SECRET: DEVELOPMENT_SECRETS.AUTH_SECRET }, says: /AUTH_SECRET: is the development value committed to the repository/ },
    { name: "dev-user-id-key", env: { ...baseEnv(), AUTH_USER_ID_KEY: DEVELOPMENT_SECRETS.AUTH_USER_ID_KEY }, says: /AUTH_USER_ID_KEY: is the development value/ },
    { name: "short-secret", env: { ...baseEnv(), AUTH_SECRET: "only-twenty-bytes-xx" }, says: /AUTH_SECRET: must be at least 32 bytes in production/ },
    { name: "no-nextauth-url", env: without(baseEnv(), "NEXTAUTH_URL"), says: /NEXTAUTH_URL \(not set\): must be set in production/ },
    { name: "http-issuer", env: { ...baseEnv(), AUTH_OIDC_ISSUER: "http://sso.example.com/realms/main" }, says: /AUTH_OIDC_ISSUER: must be an https:\/\/ URL in production/ },
  ];
  const seen: string[] = [];
  for (const { name, env, says } of cases) {
    const { code, output } = await refusal(`refuse-${name}`, env);
    const line = output.split("\n").find((l) => l.includes("refuses to start")) ?? "";
    seen.push(`${name}: exit ${code}; ${output.split("\n").find((l) => says.test(l))?.trim()}`);
    expect(code, `${name}: ${output}`).toBe(1);
    expect(line, output).toContain("avatar-relay refuses to start");
    expect(output).toMatch(says);
    expect(output).not.toMatch(/\n\s+at /); // a sentence, not a stack trace
  }
  console.log(`production starts refused:\n  ${seen.join("\n  ")}`);
});

test("AUTH_DEV_LOGIN=true in production starts, logs a warning, and the sign-in page says anyone can sign in as anyone", async () => {
  const { instance, log } = startAlone("dev-login-demo", { ...baseEnv(), AUTH_DEV_LOGIN: "true" });
  try {
    await waitForHealthy(instance);
    const page = await getText(`${instance.url}/signin`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("anyone can sign in as anyone");
    const warning = readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level: string; msg: string })
      .find((line) => line.level === "warn" && line.msg.startsWith("AUTH_DEV_LOGIN=true"));
    expect(warning?.msg).toContain("anyone can sign in as anyone");
  } finally {
    await instance.stop(10_000);
  }
});
