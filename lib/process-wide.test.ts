import { describe, expect, it, vi } from "vitest";

describe("processWide", () => {
  it("gives two copies of a module (two module graphs) the same value", async () => {
    const first = await import("./process-wide");
    vi.resetModules();
    const second = await import("./process-wide");
    expect(second.processWide).not.toBe(first.processWide);
    const made = first.processWide("test-shared", () => new Map([["a", 1]]));
    expect(second.processWide("test-shared", () => new Map())).toBe(made);
    expect(second.processWide("test-other", () => 2)).toBe(2);
  });
});
