import { describe, expect, it } from "vitest";

import type { NetworkRun } from "../web/network";
import { findCell, networkCells } from "./network";

const run = (overrides: Partial<NetworkRun>): NetworkRun => ({
  variant: "today",
  input: "jpeg-24mp",
  uplinkMbit: 10,
  repetition: 0,
  interactiveMs: 1000,
  savedMs: 5000,
  uploadedBytes: 100,
  uploads: 1,
  prepareMs: null,
  ...overrides,
});

describe("networkCells", () => {
  it("takes the median of each (variant, input, uplink) and counts its runs", () => {
    const cells = networkCells({
      runs: [
        run({ interactiveMs: 900, savedMs: 8000 }),
        run({ interactiveMs: 5000, savedMs: 9000, repetition: 1 }),
        run({ interactiveMs: 1000, savedMs: 8500, repetition: 2 }),
        run({ uplinkMbit: 2, interactiveMs: 20_000 }),
      ],
    });
    expect(findCell(cells, { variant: "today", input: "jpeg-24mp", uplinkMbit: 10 })).toMatchObject({ runs: 3, interactiveMs: 1000, savedMs: 8500, prepareMs: null });
    expect(findCell(cells, { variant: "today", input: "jpeg-24mp", uplinkMbit: 2 })).toMatchObject({ runs: 1, interactiveMs: 20_000 });
    expect(findCell(cells, { variant: "both", input: "jpeg-24mp", uplinkMbit: 10 })).toBeUndefined();
  });

  it("gives the preparation's median over the runs that prepared, and null when none did", () => {
    const cells = networkCells({
      runs: [run({ variant: "both", prepareMs: 300 }), run({ variant: "both", prepareMs: 500 }), run({ variant: "both", prepareMs: null }), run({ variant: "today" })],
    });
    expect(findCell(cells, { variant: "both", input: "jpeg-24mp", uplinkMbit: 10 })?.prepareMs).toBe(400);
    expect(findCell(cells, { variant: "today", input: "jpeg-24mp", uplinkMbit: 10 })?.prepareMs).toBeNull();
  });

  it("orders cells by variant (today first), input by size, then the faster uplink first", () => {
    const cells = networkCells({
      runs: [
        run({ variant: "both", input: "jpeg-12mp", uplinkMbit: 2 }),
        run({ variant: "today", input: "jpeg-48mp", uplinkMbit: 10 }),
        run({ variant: "today", input: "jpeg-12mp", uplinkMbit: 2 }),
        run({ variant: "today", input: "jpeg-12mp", uplinkMbit: 10 }),
      ],
    });
    expect(cells.map((cell) => `${cell.variant} ${cell.input} ${cell.uplinkMbit}`)).toEqual(["today jpeg-12mp 10", "today jpeg-12mp 2", "today jpeg-48mp 10", "both jpeg-12mp 2"]);
  });
});
