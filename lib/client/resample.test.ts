import { readFileSync } from "node:fs";

import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { photoLike } from "@/test/harness/images";
import { compileResampleWasm, renderGenerated, RESAMPLE_GENERATED } from "@/tools/wasm";

import { axisFilter, loadResampler, premultiply, unpremultiply, WEIGHT_BITS, type ResamplerFactory } from "./resample";

type Raw = { data: Uint8ClampedArray<ArrayBuffer>; width: number; height: number };

async function rgba(input: Buffer): Promise<Raw> {
  const { data, info } = await sharp(input).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)), width: info.width, height: info.height };
}

function resize(make: ResamplerFactory, src: Raw, outWidth: number, outHeight: number, stripRows = 64): Uint8ClampedArray {
  const resampler = make(src.width, src.height, outWidth, outHeight, stripRows);
  for (let y = 0; y < src.height; y += stripRows) {
    const rows = Math.min(stripRows, src.height - y);
    resampler.addRows(src.data.subarray(y * src.width * 4, (y + rows) * src.width * 4), y, rows);
  }
  return resampler.finish();
}

function meanAbsolute(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i]! - b[i]!);
  return total / a.length;
}

describe("the committed WebAssembly", () => {
  it("is what wasm/resample/index.ts compiles to (run scripts/build-wasm.ts after changing it)", async () => {
    expect(readFileSync(RESAMPLE_GENERATED, "utf8")).toBe(renderGenerated(await compileResampleWasm()));
  });
});

describe("axisFilter", () => {
  it.each([
    [2400, 1536],
    [3600, 2304],
    [6000, 2304],
    [4000, 1536],
    [1537, 1536],
    [30, 7],
  ])("%i → %i: every window lies inside the input and its weights sum to exactly one", (inSize, outSize) => {
    const { pairs, starts, weights } = axisFilter(inSize, outSize);
    const taps = pairs * 2;
    // Lanczos-3 reaches 3 × the shrink factor either side of a sample's centre.
    expect(taps).toBeGreaterThanOrEqual(6 * Math.max(1, inSize / outSize));
    for (let i = 0; i < outSize; i++) {
      expect(starts[i]).toBeGreaterThanOrEqual(0);
      expect(starts[i]! + taps).toBeLessThanOrEqual(inSize);
      let sum = 0;
      for (let k = 0; k < taps; k++) sum += weights[i * taps + k]!;
      expect(sum).toBe(1 << WEIGHT_BITS);
    }
  });

  it("refuses an input smaller than its window", () => {
    expect(() => axisFilter(5, 2)).toThrow(/too few/);
  });
});

describe("the WebAssembly resampler", () => {
  let make: ResamplerFactory;
  beforeAll(async () => {
    make = await loadResampler();
  });

  it("computes what sharp's Lanczos-3 resize does (the server's filter), photo-like noise included", async () => {
    for (const [width, height, outWidth, outHeight] of [
      [3000, 2000, 2304, 1536],
      [2400, 3600, 1536, 2304],
      [1001, 700, 333, 233], // a row that is not a multiple of 16 bytes
    ] as const) {
      const input = await photoLike(width, height, width);
      const expected = await sharp(input).ensureAlpha().resize(outWidth, outHeight, { fit: "fill", kernel: "lanczos3" }).raw().toBuffer();
      const actual = resize(make, await rgba(input), outWidth, outHeight);
      // The two differ by their fixed-point rounding only: a fraction of a level on average.
      expect(meanAbsolute(actual, expected), `${width}×${height} → ${outWidth}×${outHeight}`).toBeLessThan(0.35);
    }
  });

  it("keeps a flat colour exactly flat, alpha included", async () => {
    const input = await sharp({ create: { width: 900, height: 600, channels: 4, background: { r: 200, g: 30, b: 90, alpha: 0.5 } } }).png().toBuffer();
    const out = resize(make, await rgba(input), 400, 267);
    const alpha = Math.round(0.5 * 255);
    for (let i = 0; i < out.length; i += 4) {
      if (out[i] !== 200 || out[i + 1] !== 30 || out[i + 2] !== 90 || out[i + 3] !== alpha) throw new Error(`pixel ${i / 4} is ${Array.from(out.subarray(i, i + 4)).join(",")}`);
    }
  });

  it("with premultiplied alpha, a transparent black border does not darken the opaque white beside it", async () => {
    // Left half fully transparent black, right half opaque white: straight-alpha filtering would
    // pull the white edge towards grey; premultiplied, it stays white wherever it is opaque enough.
    const width = 400;
    const height = 40;
    const src = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) if (i % width >= width / 2) src.set([255, 255, 255, 255], i * 4);
    const straight = resize(make, { data: src.slice(), width, height }, 100, 10);
    const data = src.slice();
    premultiply(data);
    const premultiplied = resize(make, { data, width, height }, 100, 10);
    unpremultiply(premultiplied);
    let darkest = { straight: 255, premultiplied: 255 };
    for (let x = 0; x < 100; x++) {
      const i = (5 * 100 + x) * 4;
      if (premultiplied[i + 3]! < 64) continue; // nearly transparent: its colour hardly shows
      darkest = { straight: Math.min(darkest.straight, straight[i]!), premultiplied: Math.min(darkest.premultiplied, premultiplied[i]!) };
    }
    expect(darkest.straight).toBeLessThan(245); // the control: without premultiplying, the edge greys (238 here)
    expect(darkest.premultiplied).toBeGreaterThanOrEqual(250);
  });

  it("gives the same pixels whatever the strip height", async () => {
    const src = await rgba(await photoLike(900, 850, 3));
    const same = (a: Uint8ClampedArray, b: Uint8ClampedArray) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
    const whole = resize(make, src, 800, 755, 850);
    expect(same(resize(make, src, 800, 755, 7), whole)).toBe(true);
    expect(same(resize(make, src, 800, 755, 1), whole)).toBe(true);
  });

  it("refuses strips out of order, outside the picture, or too few rows", async () => {
    const src = await rgba(await photoLike(100, 80, 4));
    const resampler = make(100, 80, 50, 40, 10);
    expect(() => resampler.addRows(src.data, 10, 10)).toThrow(/in order/);
    expect(() => resampler.addRows(src.data, 0, 11)).toThrow(/outside/);
    resampler.addRows(src.data, 0, 10);
    expect(() => resampler.finish()).toThrow(/only 10 of 80 rows/);
  });
});
