import sharp from "sharp";

import { initialsOf } from "@/lib/avatars/initials";
import { defaultAvatarDesign, defaultAvatarSvg } from "@/lib/images/default-avatar";
import { ApiUser } from "@/test/harness/api-user";
import type { Cluster } from "@/tools/cluster";
import { RuncLauncher } from "@/test/harness/container/runc";
import { meanDifference } from "@/test/harness/images";
import { closedPort } from "@/tools/ports";

import { LB_ORIGIN, SPARE_PORT } from "./config";
import { expect, startOutsideTheCluster, test } from "./fixtures";

/**
 * What only the image shows (tier `container`: the instances are containers of the image the
 * Dockerfile builds): its HEALTHCHECK, its USER on a read-only root, its runtime stage's font.
 */
test.skip(!process.env.E2E_CLUSTER_IMAGE, "needs the instances to be containers (tier container, E2E_CLUSTER_CONTAINER=1)");

function launcherOf(cluster: Cluster): RuncLauncher {
  const runtime = cluster.options.runtime;
  if (!(runtime instanceof RuncLauncher)) throw new Error("the cluster's instances are not containers");
  return runtime;
}

test("the image's HEALTHCHECK, run inside a container: healthy, then unhealthy when its S3 is down", async ({ cluster }) => {
  const launcher = launcherOf(cluster);
  console.log(`HEALTHCHECK of ${launcher.image.ref}: ${JSON.stringify(launcher.image.healthcheck)}`);
  for (const spec of cluster.specs) {
    const check = launcher.healthcheck(spec);
    expect(check.status, `${spec.id}: ${check.output}`).toBe(0);
  }
  const s3Down = await startOutsideTheCluster(cluster, { S3_ENDPOINT: `http://127.0.0.1:${await closedPort()}` }, "s3-down");
  try {
    const check = launcher.healthcheck(s3Down.spec);
    console.log(`container with its S3 down (port ${SPARE_PORT}): HEALTHCHECK exit ${check.status}`);
    expect(check.status, check.output).toBe(1);
  } finally {
    await s3Down.stop();
  }
});

test("each container runs as the image's USER (uid 1000) and cannot write its own tree", async ({ cluster }) => {
  const launcher = launcherOf(cluster);
  const spec = cluster.specs[0]!;
  const status = launcher.exec(spec, ["cat", "/proc/1/status"]);
  expect(status.output).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
  // PID 1 is the image's CMD, node itself (Next renames its title to next-server, hence the exe).
  expect(launcher.image.args).toEqual(["node", "server.js"]);
  expect(launcher.exec(spec, ["readlink", "/proc/1/exe"]).output.trim()).toBe("/usr/local/bin/node");
  const write = (target: string) => launcher.exec(spec, ["node", "-e", `require("fs").writeFileSync(${JSON.stringify(target)}, "x")`]);
  // The app's tree belongs to root: the user could not write it even on a writable root.
  expect(write("/app/written-by-test").output).toMatch(/EACCES|EROFS/);
  // Where the user could write (its home, /tmp), the read-only root stops it.
  for (const target of ["/home/node/written-by-test", "/tmp/written-by-test"]) {
    const result = write(target);
    expect(result.status, target).not.toBe(0);
    expect(result.output, target).toContain("EROFS");
  }
});

test("the default avatar's initials are drawn in the container (the runtime stage's font)", async () => {
  const name = `Ada ${Date.now()} Lovelace`;
  const user = await ApiUser.signIn(name, LB_ORIGIN);
  try {
    const answer = await user.request.get(`/avatars/${user.id}/128`);
    expect(answer.status()).toBe(200);
    const served = await answer.body();
    const svg = defaultAvatarSvg(defaultAvatarDesign(user.id, initialsOf(name)), 128);
    const withText = await sharp(Buffer.from(svg)).png().toBuffer();
    // The same picture with no letters: what a runtime without a font draws.
    const blank = await sharp(Buffer.from(svg.replace(/<text[^>]*>[^<]*<\/text>/, ""))).png().toBuffer();
    const [toText, toBlank] = [await meanDifference(served, withText), await meanDifference(served, blank)];
    console.log(`default avatar of "${name}" (${initialsOf(name)}): mean difference ${toText.toFixed(2)} from the letters drawn here, ${toBlank.toFixed(2)} from no letters`);
    expect(toText).toBeLessThan(6);
    expect(toBlank).toBeGreaterThan(2 * toText + 3);
  } finally {
    await user.dispose();
  }
});
