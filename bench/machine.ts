/** The facts a reader needs to judge the figures: what ran, on what, and how busy the machine was. */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";

import sharp from "sharp";

import { CONVERT } from "./ways/temp-files";

export type MachineFacts = {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  sharp: string;
  libvips: string;
  sharpConcurrency: number;
  uvThreadpoolSize: string;
  imagemagick: string;
  imagemagickPolicy: string;
  s3rver: string;
  next: string;
};

function packageVersion(name: string): string {
  try {
    const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

function imagemagickVersion(): string {
  if (!existsSync(CONVERT)) return "not installed (apt-get install imagemagick)";
  try {
    const first = execFileSync(CONVERT, ["-version"], { encoding: "utf8" }).split("\n")[0] ?? "";
    return first.replace(/^Version:\s*/, "").replace(/\s+https?:\S+/, "").trim();
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/** The resource limits of Debian's ImageMagick policy (memory, map, area, disk), as a PHP host has them. */
function imagemagickPolicy(): string {
  try {
    const text = readFileSync("/etc/ImageMagick-6/policy.xml", "utf8").replace(/<!--[\s\S]*?-->/g, "");
    const limits = [...text.matchAll(/<policy domain="resource" name="(\w+)" value="([^"]+)"\/>/g)].map((m) => `${m[1]} ${m[2]}`);
    return limits.length ? `Debian default policy.xml: ${limits.join(", ")}` : "no resource limits";
  } catch {
    return "no /etc/ImageMagick-6/policy.xml";
  }
}

export function machineFacts(): MachineFacts {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    sharp: sharp.versions.sharp ?? packageVersion("sharp"),
    libvips: sharp.versions.vips,
    sharpConcurrency: sharp.concurrency(),
    uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? "4 (default)",
    imagemagick: imagemagickVersion(),
    imagemagickPolicy: imagemagickPolicy(),
    s3rver: packageVersion("s3rver"),
    next: packageVersion("next"),
  };
}

export type Load = { one: number; five: number; fifteen: number; at: string };

export function loadAverage(): Load {
  const [one, five, fifteen] = os.loadavg();
  return { one: one!, five: five!, fifteen: fifteen!, at: new Date().toISOString() };
}

export const formatLoad = (load: Load) => `${load.one.toFixed(2)} / ${load.five.toFixed(2)} / ${load.fifteen.toFixed(2)} (1/5/15 min, ${load.at})`;
