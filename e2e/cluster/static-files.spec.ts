import { readFileSync } from "node:fs";
import path from "node:path";

import { ROOT } from "@/tools/paths";

import { expectServedAsStaticFile } from "../support/static-file";

import { expect, test } from "./fixtures";

/**
 * public/ in the staged standalone artifact (the tree the Dockerfile's image holds): Next's
 * standalone output leaves public/ out, stageArtifact() copies it in, and every instance, and
 * nginx in front of them, sends its files as static files.
 */

test("every instance, and nginx in front, sends the staged public/robots.txt as a static file", async ({ cluster, request }) => {
  const staged = path.join(process.env.E2E_CLUSTER_ARTIFACT!, "public/robots.txt");
  expect(readFileSync(staged, "utf8")).toBe(readFileSync(path.join(ROOT, "public/robots.txt"), "utf8"));
  for (const instance of cluster.instances()) {
    const headers = await expectServedAsStaticFile(request, `${instance.url}/robots.txt`, staged);
    expect(headers["x-served-by"]).toBe(instance.spec.id);
  }
  const headers = await expectServedAsStaticFile(request, `${cluster.url}/robots.txt`, staged);
  expect(cluster.specs.map((spec) => spec.id)).toContain(headers["x-served-by"]);
});
