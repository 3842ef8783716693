import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { resolveUser, runtimeSpec, type RunnableImage } from "./runc";

const rootfs = mkdtempSync(path.join(tmpdir(), "runc-test-rootfs-"));
mkdirSync(path.join(rootfs, "etc"));
writeFileSync(path.join(rootfs, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\nnode:x:1000:1000::/home/node:/bin/bash\n");
afterAll(() => rmSync(rootfs, { recursive: true, force: true }));

const image: RunnableImage = {
  ref: "localhost/test:1",
  rootfs,
  user: "node",
  uid: 1000,
  gid: 1000,
  env: ["PATH=/usr/local/bin:/usr/bin:/bin", "PORT=3000", "HOSTNAME=0.0.0.0"],
  args: ["node", "server.js"],
  cwd: "/app",
  stopSignal: "SIGTERM",
};

describe("resolveUser", () => {
  it("reads a name, a uid, and uid:gid against the image's /etc/passwd", () => {
    expect(resolveUser(rootfs, "node")).toEqual({ uid: 1000, gid: 1000 });
    expect(resolveUser(rootfs, "1000:5")).toEqual({ uid: 1000, gid: 5 });
    expect(resolveUser(rootfs, "")).toEqual({ uid: 0, gid: 0 });
    expect(() => resolveUser(rootfs, "nobody-here")).toThrow(/not in the image/);
  });
});

describe("runtimeSpec", () => {
  const spec = runtimeSpec(image, "container-1", { PORT: "3301", HOSTNAME: "127.0.0.1", S3_BUCKET: "b" }, { readOnly: true });

  it("runs the image's CMD as its USER in its WORKDIR, the deployment's env over the image's", () => {
    expect(spec.process.args).toEqual(["node", "server.js"]);
    expect(spec.process.user).toEqual({ uid: 1000, gid: 1000 });
    expect(spec.process.cwd).toBe("/app");
    expect(spec.process.env).toEqual(["PATH=/usr/local/bin:/usr/bin:/bin", "PORT=3301", "HOSTNAME=127.0.0.1", "S3_BUCKET=b"]);
  });

  it("has a read-only root, no rlimits (refused here) and no network namespace (loopback ports)", () => {
    expect(spec.root).toEqual({ path: rootfs, readonly: true });
    expect("rlimits" in spec.process).toBe(false);
    expect(spec.linux.namespaces.map((n) => n.type)).not.toContain("network");
    expect(spec.mounts.map((m) => m.destination)).not.toContain("/tmp");
  });
});
