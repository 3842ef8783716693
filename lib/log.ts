import "server-only";

import { hostname } from "node:os";

import { getEnv } from "@/lib/env";

/** One JSON object per line, each naming the instance and (when known) the request. */

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof levels, "silent">;

let instance: string | undefined;

export function instanceId(): string {
  instance ??= getEnv().INSTANCE_ID ?? `${hostname()}-${process.pid}`;
  return instance;
}

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (levels[level] < levels[getEnv().LOG_LEVEL]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, instance: instanceId(), ...fields });
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? { cause: `${error.cause.name}: ${error.cause.message}` } : {};
  return { error: `${error.name}: ${error.message}`, stack: error.stack?.split("\n").slice(0, 6).join("\n"), ...cause };
}
