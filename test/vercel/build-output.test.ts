import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

import { describe, expect, inject, it } from "vitest";

/**
 * What Vercel would deploy, read from `.vercel/output` (the Build Output API v3) after Vercel's own
 * builder ran (global-setup.ts): the functions that run sharp carry its Linux x64 binary and
 * libvips, every function runs on Node 24 and fits Vercel's size limit, and the security headers
 * of next.config.mjs are in the routing config.
 */

const projectDir = inject("vercelProjectDir");
const outputDir = inject("vercelOutputDir");
const functionsDir = path.join(outputDir, "functions");

/** Vercel's limit on a function's uncompressed size (https://vercel.com/docs/functions/limitations). */
const FUNCTION_LIMIT_BYTES = 250 * 1024 * 1024;

type VcConfig = { runtime: string; handler: string; filePathMap?: Record<string, string> };

function functionDirs(dir = functionsDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.name.endsWith(".func")) return [full];
    return entry.isDirectory() ? functionDirs(full) : [];
  });
}

const configOf = (funcDir: string) => JSON.parse(readFileSync(path.join(funcDir, ".vc-config.json"), "utf8")) as VcConfig;

/** The files a function ships: its own directory and the project files its filePathMap names. */
function shippedFiles(funcDir: string): Map<string, number> {
  const files = new Map<string, number>();
  for (const name of readdirSync(funcDir, { recursive: true, encoding: "utf8" })) {
    const stat = statSync(path.join(funcDir, name));
    if (stat.isFile()) files.set(name, stat.size);
  }
  for (const [inFunction, source] of Object.entries(configOf(funcDir).filePathMap ?? {})) {
    files.set(inFunction, statSync(path.resolve(projectDir, source)).size);
  }
  return files;
}

const SHARP_FUNCTIONS = ["api/uploads/[uploadId]/finish.func", "api/uploads/[uploadId]/crop.func", "avatars/[userId]/[size].func"];

describe("vercel build output", () => {
  it("the functions that check, crop and draw default avatars carry sharp's linux-x64 binary and libvips", () => {
    for (const name of SHARP_FUNCTIONS) {
      const files = [...shippedFiles(path.join(functionsDir, name)).keys()];
      expect(files.filter((file) => /@img\/sharp-linux-x64\/lib\/sharp-linux-x64-[\d.]+\.node$/.test(file)), name).toHaveLength(1);
      expect(files.filter((file) => /@img\/sharp-libvips-linux-x64\/lib\/libvips-cpp\.so\.[\d.]+$/.test(file)), name).toHaveLength(1);
    }
  });

  it("every function runs on Node.js 24 and is under Vercel's 250 MB", () => {
    const dirs = functionDirs();
    expect(dirs.length).toBeGreaterThan(10);
    const sizes = dirs.map((dir) => {
      expect(configOf(dir).runtime, path.relative(functionsDir, dir)).toBe("nodejs24.x");
      return { name: path.relative(functionsDir, dir), bytes: [...shippedFiles(dir).values()].reduce((sum, size) => sum + size, 0) };
    });
    const largest = sizes.sort((a, b) => b.bytes - a.bytes)[0]!;
    console.log(`${sizes.length} functions; the largest, ${largest.name}, ships ${(largest.bytes / 1024 / 1024).toFixed(1)} MB (limit 250 MB)`);
    for (const { name, bytes } of sizes) expect(bytes, name).toBeLessThan(FUNCTION_LIMIT_BYTES);
  });

  it("config.json sends next.config.mjs's security headers on every path", () => {
    const config = JSON.parse(readFileSync(path.join(outputDir, "config.json"), "utf8")) as { version: number; routes: { src?: string; headers?: Record<string, string> }[] };
    expect(config.version).toBe(3);
    const everyPath = config.routes.find((route) => route.headers?.["X-Frame-Options"]);
    expect(everyPath?.headers).toEqual({ "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin", "X-Frame-Options": "DENY" });
    expect(new RegExp(everyPath!.src!).test("/avatar/new")).toBe(true);
    expect(new RegExp(everyPath!.src!).test("/")).toBe(true);
  });
});
