import { describe, expect, it } from "vitest";

import type { ReadyUpload } from "@/lib/avatars/api-types";
import type { QuarterTurn, Size } from "@/lib/images/crop-geometry";

import { checkedUpload, cropRequest, nextPosition, nextZoom, shownSquare, turnBy } from "./crop-step";
import { seededRandom } from "@/test/harness/seeded-random";

const READY: ReadyUpload = {
  uploadId: "a".repeat(32),
  status: "ready",
  displayed: { width: 1600, height: 1000 },
  format: "jpeg",
  bytes: 1234,
  preview: { url: "https://s3.example/preview.webp", width: 1600, height: 1000 },
  suggestedCrop: { left: 500, top: 0, width: 1000, height: 1000 },
};

describe("checkedUpload", () => {
  const page = { uploadId: "b".repeat(32), displayed: { width: 800, height: 600 }, suggestedCrop: undefined };

  it("is the page's upload when there is no background upload, once its id is known", () => {
    expect(checkedUpload(page, undefined)).toEqual({ uploadId: page.uploadId, displayed: page.displayed, suggestedCrop: undefined });
    expect(checkedUpload({ ...page, uploadId: undefined }, undefined)).toBeUndefined();
  });

  it("with a background upload, is the check's answer, and nothing before it", () => {
    for (const stage of ["preparing", "uploading", "checking"] as const) expect(checkedUpload(page, { stage })).toBeUndefined();
    expect(checkedUpload(page, { stage: "ready", upload: READY })).toBe(READY);
  });
});

describe("shownSquare", () => {
  const view = { crop: { x: 0, y: 0 }, zoom: 1, rotation: 0 as QuarterTurn };
  it("has none until the picture and the frame have sizes", () => {
    expect(shownSquare(view, undefined, { width: 500, height: 400 })).toBeUndefined();
    expect(shownSquare(view, { width: 800, height: 500 }, undefined)).toBeUndefined();
  });
  it("is the largest square at the centre at zoom 1", () => {
    expect(shownSquare(view, { width: 800, height: 500 }, { width: 500, height: 400 })).toEqual({ left: 150, top: 0, width: 500, height: 500 });
  });
});

describe("nextPosition", () => {
  const current = { x: 3, y: -4 };
  it("keeps the current object when the cropper reports the same place, or a position that is not a number", () => {
    expect(nextPosition(current, { x: 3, y: -4 })).toBe(current);
    expect(nextPosition(current, { x: Number.NaN, y: 1 })).toBe(current);
    expect(nextPosition(current, { x: 1, y: Number.POSITIVE_INFINITY })).toBe(current);
  });
  it("takes a move", () => {
    const moved = { x: 3, y: -5 };
    expect(nextPosition(current, moved)).toBe(moved);
  });
});

describe("nextZoom", () => {
  it("keeps the zoom inside the slider's range and refuses one that is not a number", () => {
    expect(nextZoom(1.5)).toBe(1.5);
    expect(nextZoom(0.4)).toBe(1);
    expect(nextZoom(99)).toBe(3);
    expect(nextZoom(Number.NaN)).toBeUndefined();
  });
});

describe("turnBy", () => {
  it("turns a quarter either way, round the circle", () => {
    expect(turnBy(0, 90)).toBe(90);
    expect(turnBy(270, 90)).toBe(0);
    expect(turnBy(0, -90)).toBe(270);
    expect(turnBy(180, -90)).toBe(90);
  });
});

describe("cropRequest", () => {
  it("maps the square on a smaller preview onto the server's displayed pixels", () => {
    const picture = { width: 800, height: 500 };
    const displayed = { width: 1600, height: 1000 };
    expect(cropRequest({ left: 150, top: 0, width: 500, height: 500 }, picture, 0, displayed)).toEqual({ left: 300, top: 0, width: 1000, height: 1000, rotation: 0 });
    // Turned a quarter: the square is in the turned picture (500×800), the request in the turned displayed space.
    expect(cropRequest({ left: 0, top: 150, width: 500, height: 500 }, picture, 90, displayed)).toEqual({ left: 0, top: 300, width: 1000, height: 1000, rotation: 90 });
  });

  it("is a whole square inside the picture for any square the cropper can show", () => {
    const next = seededRandom(29);
    const turns: QuarterTurn[] = [0, 90, 180, 270];
    for (let i = 0; i < 2000; i++) {
      const displayed: Size = { width: 40 + Math.floor(next() * 6000), height: 40 + Math.floor(next() * 6000) };
      // The preview is the displayed picture made smaller (≤ 1600 px), or the browser's own copy of the same size.
      const scale = Math.min(1, 1600 / Math.max(displayed.width, displayed.height)) * (i % 3 === 0 ? 1 : 0.5 + next() / 2);
      const picture = { width: Math.max(1, Math.round(displayed.width * scale)), height: Math.max(1, Math.round(displayed.height * scale)) };
      const view = { crop: { x: (next() - 0.5) * 800, y: (next() - 0.5) * 800 }, zoom: 1 + next() * 2, rotation: turns[i % 4]! };
      const square = shownSquare(view, picture, { width: 200 + Math.floor(next() * 900), height: 200 + Math.floor(next() * 300) });
      if (!square) continue;
      const request = cropRequest(square, picture, view.rotation, displayed);
      const space = view.rotation % 180 === 0 ? displayed : { width: displayed.height, height: displayed.width };
      expect(request, JSON.stringify({ displayed, picture, view, square })).toBeDefined();
      const { left, top, width, height } = request!;
      expect([left, top, width, height].every(Number.isInteger)).toBe(true);
      expect(width === height && width >= 1 && left >= 0 && top >= 0).toBe(true);
      expect(left + width <= space.width && top + height <= space.height).toBe(true);
    }
  });

  it("is undefined rather than a crop the server would refuse", () => {
    expect(cropRequest({ left: 0, top: 0, width: 10, height: 10 }, { width: 100, height: 100 }, 0, { width: 0, height: 0 })).toBeUndefined();
  });
});
