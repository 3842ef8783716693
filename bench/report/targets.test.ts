import { describe, expect, it } from "vitest";

import type { NetworkResults, NetworkRun } from "../web/network";
import type { Results } from "./results";
import { TARGETS, verdicts } from "./targets";

const run = (overrides: Partial<NetworkRun>): NetworkRun => ({
  variant: "both",
  input: "jpeg-24mp",
  uplinkMbit: 10,
  repetition: 0,
  interactiveMs: 400,
  savedMs: 4000,
  uploadedBytes: 850_000,
  uploads: 1,
  prepareMs: 300,
  ...overrides,
});

function results(network: Partial<NetworkResults> & Pick<NetworkResults, "runs" | "variants">, timing: Partial<Results["timing"]> = {}): Results {
  return {
    mode: "full",
    startedAt: "",
    finishedAt: "",
    settings: { iterations: 1, warmup: 0, rssRepeats: 1, concurrencyOperations: 1, concurrencyRounds: 1 },
    machine: {} as Results["machine"],
    loads: [],
    inputs: [],
    timing: { crop: {}, finish: {}, ...timing },
    pixelCheck: {},
    rss: [],
    concurrency: [],
    bound: [],
    network: { featureInBuild: true, inputs: [{ id: "jpeg-24mp", label: "JPEG 24 MP", width: 6000, height: 4000, bytes: 5_600_000 }], failures: [], ...network } as NetworkResults,
  };
}

const verdict = (all: ReturnType<typeof verdicts>, start: string) => all.find((v) => v.target.startsWith(start))!;

describe("network targets", () => {
  it("are met when the new flow is within every bound at every uplink", () => {
    const all = verdicts(results({ variants: ["today", "both"], runs: [run({}), run({ uplinkMbit: 2, savedMs: 9000 }), run({ variant: "today", savedMs: 8500, interactiveMs: 4900, prepareMs: null })] }));
    expect(verdict(all, "crop step interactive").met).toBe(true);
    expect(verdict(all, "avatar saved").met).toBe(true);
    expect(verdict(all, "avatar saved").figure).toContain("today 8.50 s");
    expect(verdict(all, "the browser's preparation").met).toBe(true);
  });

  it("miss when the crop step is late at the slowest uplink, or the preparation is slow", () => {
    const all = verdicts(results({ variants: ["both"], runs: [run({}), run({ uplinkMbit: 2, interactiveMs: TARGETS.network.maxInteractiveMs + 1, prepareMs: 450 })] }));
    expect(verdict(all, "crop step interactive").met).toBe(false);
    expect(verdict(all, "avatar saved").met).toBe(true);
    expect(verdict(all, "the browser's preparation").met).toBe(false);
  });

  it("are not measured, never met, when every run failed", () => {
    const all = verdicts(results({ variants: ["today", "both"], runs: [] }));
    for (const start of ["crop step interactive", "avatar saved", "the browser's preparation"]) expect(verdict(all, start).met, start).toBeUndefined();
  });

  it("are missed, with today's figures, for a build without the client feature", () => {
    const all = verdicts(results({ variants: ["today"], featureInBuild: false, runs: [run({ variant: "today", interactiveMs: 4900, savedMs: 8500, prepareMs: null })] }));
    expect(verdict(all, "crop step interactive")).toMatchObject({ met: false });
    expect(verdict(all, "crop step interactive").figure).toContain("4.90 s at 10 Mbit/s");
    expect(verdict(all, "avatar saved").figure).toContain("8.50 s");
  });
});

describe("server targets", () => {
  it("judge the app's CPU against the floor's, not counting the S3 server's", () => {
    const cpu = (app: number, s3: number) => ({ app: [app, app], s3: [s3, s3] });
    const all = verdicts(
      results(
        { variants: [], runs: [] },
        {
          cropCpu: { "jpeg-24mp/small": { app: cpu(120, 80), floor: cpu(100, 0) }, "jpeg-24mp/large": { app: cpu(125, 80), floor: cpu(100, 0) } },
          finishCpu: { "jpeg-24mp": cpu(140, 40) },
          finishFloorCpu: { "jpeg-24mp": cpu(100, 0) },
        },
      ),
    );
    expect(verdict(all, "app process's CPU").met).toBe(true);
    expect(verdict(all, "app process's CPU").figure).toContain("small box 1.20×");
    expect(verdict(all, "finish step's CPU").met).toBe(false);
    expect(verdict(all, "finish step's CPU").figure).toContain("1.40×");
  });
});
