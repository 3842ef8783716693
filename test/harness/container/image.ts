/**
 * The project's Dockerfile built with podman (buildah, chroot isolation: no daemon, no nested
 * container runtime), on the base image of base-image.ts: the runtime image and the `setup` target.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { ROOT } from "../../../tools/paths";

import { podman } from "./base-image";

export const RUNTIME_IMAGE = "localhost/avatar-relay:ci";
export const SETUP_IMAGE = "localhost/avatar-relay-setup:ci";

const npmConfig = (key: string) => {
  const value = spawnSync("npm", ["config", "get", key], { encoding: "utf8" }).stdout?.trim();
  return value && value !== "null" && value !== "undefined" ? value : undefined;
};

/**
 * The Dockerfile's optional build secrets, from this machine's npm configuration: the registry
 * (npmrc) and the CA bundle npm and Node trust (npm_ca), when this machine sets one (a proxy with
 * its own CA). Without them the build uses the public registry with Node's own CA list.
 */
function buildSecrets(dir: string): string[] {
  const npmrc = path.join(dir, "npmrc");
  writeFileSync(npmrc, `registry=${npmConfig("registry") ?? "https://registry.npmjs.org/"}\n`);
  const ca = process.env.NODE_EXTRA_CA_CERTS ?? npmConfig("cafile");
  return ["--secret", `id=npmrc,src=${npmrc}`, ...(ca ? ["--secret", `id=npm_ca,src=${ca}`] : [])];
}

export type BuiltImages = { runtime: string; setup: string; runtimeBytes: number; setupBytes: number; seconds: number };

/** Builds both targets (the second reuses the first's cached `deps` layers) and reports their sizes. */
export function buildImages(base: string): BuiltImages {
  const started = Date.now();
  const scratch = mkdtempSync(path.join(tmpdir(), "avatar-relay-image-build-"));
  try {
    const common = [
      "build",
      "--isolation",
      "chroot",
      "--network",
      "host",
      // Docker's image format: the OCI format has no HEALTHCHECK, and podman drops it from the image.
      "--format",
      "docker",
      "--layers",
      "--build-arg",
      `NODE_IMAGE=${base}`,
      ...buildSecrets(scratch),
    ];
    for (const [target, tag] of [["runtime", RUNTIME_IMAGE], ["setup", SETUP_IMAGE]] as const) {
      console.log(`container: podman build --target ${target} -t ${tag} (NODE_IMAGE=${base})`);
      const result = spawnSync("podman", [...common, "--target", target, "-t", tag, ROOT], { cwd: ROOT, stdio: "inherit" });
      if (result.status !== 0) throw new Error(`podman build --target ${target} failed (exit ${result.status}; its output is above)`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // The previous run's images, untagged now, and this build's unnamed leaves: one run's worth of
  // layers stays on the machine (the base and the npm ci layers, parents of the tagged images, stay).
  podman(["image", "prune", "--force"]);
  const size = (ref: string) => Number(podman(["image", "inspect", "--format", "{{.Size}}", ref]).trim());
  return { runtime: RUNTIME_IMAGE, setup: SETUP_IMAGE, runtimeBytes: size(RUNTIME_IMAGE), setupBytes: size(SETUP_IMAGE), seconds: (Date.now() - started) / 1000 };
}
