import { describe, expect, it } from "vitest";

import { CANDIDATES } from "./codec-page";

describe("codec candidates", () => {
  it("start with today's copy, the reference of every ratio", () => {
    expect(CANDIDATES[0]).toEqual({ label: "JPEG 0.97", encoder: "canvas", type: "image/jpeg", quality: 0.97 });
  });

  it("have one label each (--only picks by label)", () => {
    const labels = CANDIDATES.map((candidate) => candidate.label);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("say the chroma resolution their options ask for", () => {
    for (const candidate of CANDIDATES) {
      if (candidate.encoder === "avif") expect(candidate.label.endsWith("4:4:4")).toBe(candidate.options.subsample === 3);
      if (candidate.encoder === "mozjpeg") {
        expect(candidate.options.auto_subsample).toBe(false);
        expect(candidate.label.includes("4:4:4")).toBe(candidate.options.chroma_subsample === 1);
      }
    }
  });
});
