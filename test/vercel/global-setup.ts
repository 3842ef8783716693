import { rmSync } from "node:fs";

import type { TestProject } from "vitest/node";

import { vercelBuild } from "@/test/harness/vercel-build";

/** One `vercel build` per run (a full next build: minutes); the tests only read its output. */
export default function setup(project: TestProject) {
  const { projectDir, outputDir } = vercelBuild();
  project.provide("vercelProjectDir", projectDir);
  project.provide("vercelOutputDir", outputDir);
  return () => rmSync(projectDir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    vercelProjectDir: string;
    vercelOutputDir: string;
  }
}
