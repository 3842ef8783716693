import { describe, expect, it } from "vitest";

import { CALLS_PER_CROP_AND_SAVE, type RequestCall } from "../request-costs";
import { cpuSection } from "./cpu";
import type { Results } from "./results";

/** A run whose every S3 call cost `perCall` ms, and whose app and floor cost 200 and 100 ms. */
function results(perCall: Partial<Record<RequestCall, number>>): Results {
  const samples = Object.fromEntries(
    (["getOriginal", "plainGetOriginal", "head", "list", "putSmall", "copy", "deleteMany", "presign"] as const).map((call) => [call, [perCall[call] ?? 1, perCall[call] ?? 1, perCall[call] ?? 1]]),
  ) as Record<RequestCall, number[]>;
  const cpu = { app: { app: [200], s3: [50] }, floor: { app: [100], s3: [0] } };
  return {
    inputs: [{ id: "jpeg-24mp", label: "JPEG 24 MP" }],
    timing: { crop: {}, finish: {}, cropCpu: { "jpeg-24mp/small": cpu, "jpeg-24mp/large": cpu } },
    requestCosts: { input: "jpeg-24mp", originalBytes: 5_600_000, smallBytes: 30_720, samples },
  } as unknown as Results;
}

describe("where the app's CPU beyond its floor goes", () => {
  it("multiplies each call's median by how many a crop + save makes, and sets the sum beside app − floor", () => {
    const text = cpuSection(results({ getOriginal: 20, plainGetOriginal: 10, copy: 3 })).join("\n");
    const calls = Object.values(CALLS_PER_CROP_AND_SAVE).reduce((total, count) => total + count, 0);
    // 1 GET at 20 ms, 4 copies at 3 ms, every other call 1 ms.
    const expected = 20 + 4 * 3 + (calls - 1 - 4);
    expect(text).toContain(`| **sum** | | | **${expected.toFixed(1)} ms** |`);
    expect(text).toContain("| COPY | 3.00 ms | 4 | 12.0 ms |");
    expect(text).toContain("small box 100 ms, large box 100 ms");
    expect(text).toMatch(/http\.get of the same bytes: 2\.00×/);
  });

  it("says nothing of it for results from before it was measured", () => {
    const old = { ...results({}), requestCosts: undefined };
    expect(cpuSection(old).join("\n")).not.toContain("Where the app's CPU");
  });
});
