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
    network: { featureInBuild: true, machine: { cpuModel: "Test CPU", cores: 2 }, inputs: [{ id: "jpeg-24mp", label: "JPEG 24 MP", width: 6000, height: 4000, bytes: 5_600_000 }], failures: [], ...network } as NetworkResults,
  };
}

const verdict = (all: ReturnType<typeof verdicts>, start: string) => all.find((v) => v.target.startsWith(start))!;

const floors = [{ input: "jpeg-24mp", repetition: 0, decodeMs: 500, jpegCopyBytes: 1_800_000 }];

describe("network targets", () => {
  it("are met when the new flow is within every bound at every uplink, as ratios to the floors of the same run", () => {
    const all = verdicts(
      results({
        variants: ["today", "both"],
        floors,
        runs: [run({}), run({ uplinkMbit: 2, savedMs: 6000, interactiveMs: 640 }), run({ variant: "today", savedMs: 8500, interactiveMs: 4900, prepareMs: null })],
      }),
    );
    expect(verdict(all, "crop step interactive").met).toBe(true);
    expect(verdict(all, "crop step interactive").figure).toContain("0.80× at 10 Mbit/s (today 9.80×)");
    expect(verdict(all, "avatar saved ≤ 4.5 s").met).toBe(true);
    expect(verdict(all, "avatar saved ≤ 4.5 s").figure).toContain("today 8.50 s");
    expect(verdict(all, "avatar saved ≤ 6.5 s").met).toBe(true);
    expect(verdict(all, "bytes uploaded").met).toBe(true);
  });

  it("miss when the crop step is late at the slowest uplink, or the copy is too large", () => {
    const late = TARGETS.network.maxInteractiveOverDecode * 500 + 1;
    const all = verdicts(results({ variants: ["both"], floors, runs: [run({}), run({ uplinkMbit: 2, interactiveMs: late, uploadedBytes: 1_000_000 })] }));
    expect(verdict(all, "crop step interactive").met).toBe(false);
    expect(verdict(all, "avatar saved ≤ 4.5 s").met).toBe(true);
    expect(verdict(all, "bytes uploaded").met).toBe(false);
  });

  it("are not measured, never met, when every run failed or no floor was measured", () => {
    const all = verdicts(results({ variants: ["today", "both"], floors, runs: [] }));
    for (const start of ["crop step interactive", "avatar saved", "bytes uploaded"]) expect(verdict(all, start).met, start).toBeUndefined();
    expect(verdict(verdicts(results({ variants: ["both"], floors: [], runs: [run({})] })), "crop step interactive").met).toBeUndefined();
  });

  it("are missed for a build without the client feature", () => {
    const all = verdicts(results({ variants: ["today"], featureInBuild: false, floors, runs: [run({ variant: "today", interactiveMs: 4900, savedMs: 8500, prepareMs: null })] }));
    expect(verdict(all, "crop step interactive")).toMatchObject({ met: false });
    expect(verdict(all, "avatar saved").met).toBe(false);
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
