import { describe, expect, it } from "vitest";

import { decideReload, parseReloadRecord, RELOAD_DELAYS_MS, RELOAD_WINDOW_MS } from "./reload-policy";

describe("decideReload", () => {
  const url = "http://app.test/avatar/new/u/c";

  it("reloads a failed page with growing delays, then gives up", () => {
    let record = null;
    const delays: number[] = [];
    for (let i = 0; i < RELOAD_DELAYS_MS.length; i++) {
      const decision = decideReload(record, url, 1_000 + i);
      if (!decision.reload) throw new Error(`gave up after ${i}`);
      delays.push(decision.delayMs);
      record = decision.record;
    }
    expect(delays).toEqual([...RELOAD_DELAYS_MS]);
    expect(decideReload(record, url, 2_000)).toEqual({ reload: false });
  });

  it("counts each URL on its own, and starts afresh after the window", () => {
    const first = decideReload(null, url, 0);
    if (!first.reload) throw new Error("expected a reload");
    const exhausted = { ...first.record, count: RELOAD_DELAYS_MS.length };
    expect(decideReload(exhausted, `${url}x`, 10)).toMatchObject({ reload: true, delayMs: RELOAD_DELAYS_MS[0] });
    expect(decideReload(exhausted, url, RELOAD_WINDOW_MS - 1)).toEqual({ reload: false });
    expect(decideReload(exhausted, url, RELOAD_WINDOW_MS)).toMatchObject({ reload: true, delayMs: RELOAD_DELAYS_MS[0] });
  });
});

describe("parseReloadRecord", () => {
  it("reads what was stored and ignores anything else", () => {
    expect(parseReloadRecord('{"url":"/a","count":2,"firstAt":5}')).toEqual({ url: "/a", count: 2, firstAt: 5 });
    expect(parseReloadRecord(null)).toBeNull();
    expect(parseReloadRecord("not json")).toBeNull();
    expect(parseReloadRecord('{"url":1}')).toBeNull();
  });
});
