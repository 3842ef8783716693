/**
 * Lanczos-3 downscaling of RGBA pixels: the filter the server (sharp/libvips) resamples crops with.
 * The browser's own resampling (createImageBitmap "high") is a different filter: the avatar cropped
 * at 3x zoom from a copy it made differed from the one cropped from the original by 2.7-4.3/255
 * before any JPEG, against 1.6-2.1 with this filter (most of what is left is Chromium's JPEG
 * decoder, not the filter). With the same filter on both sides the copy holds the pixels the server
 * would have computed: within 0.3/255 of sharp's own resize (resample.test.ts).
 *
 * Separable, as libvips does it: each output sample is the normalised Lanczos-3 weighted sum of the
 * input samples within 3 x the shrink factor of its centre ((i + 0.5) x shrink - 0.5, edges
 * extended), rounded to 8 bits after each pass. The two passes run in WebAssembly with SIMD
 * (wasm/resample/index.ts): in JavaScript a 24 MP photo took 1-1.7 s, in WebAssembly about a tenth.
 * Rows are fed in strips, so no one array ever holds the whole decoded picture.
 */
import { RESAMPLE_WASM_BASE64 } from "./resample-wasm.generated";

const LOBES = 3;
/** Weights are fixed point: each output sample's weights sum to exactly 1 << WEIGHT_BITS. */
export const WEIGHT_BITS = 14;

function lanczos(x: number): number {
  if (x === 0) return 1;
  if (x <= -LOBES || x >= LOBES) return 0;
  const px = Math.PI * x;
  return (LOBES * Math.sin(px) * Math.sin(px / LOBES)) / (px * px);
}

/**
 * One axis of the filter, as the WebAssembly passes read it: output sample i is the weighted sum of
 * the 2 x `pairs` input samples from `starts[i]`, with weights[i * 2 * pairs + k]. The window always
 * lies inside the input (taps past an edge are folded onto the edge sample, which is what extending
 * the edge means), so the passes never test bounds.
 */
export type AxisFilter = { pairs: number; starts: Int32Array; weights: Int16Array };

export function axisFilter(inSize: number, outSize: number): AxisFilter {
  const shrink = inSize / outSize;
  const scale = Math.max(1, shrink);
  const radius = LOBES * scale;
  const pairs = Math.ceil((Math.ceil(radius * 2) + 1) / 2);
  const taps = pairs * 2;
  if (inSize < taps) throw new Error(`${inSize} px is too few for a ${taps}-tap filter`);
  const starts = new Int32Array(outSize);
  const weights = new Int16Array(outSize * taps);
  const exact = new Float64Array(taps);
  const one = 1 << WEIGHT_BITS;
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * shrink - 0.5;
    const first = Math.floor(centre - radius) + 1;
    const start = Math.min(inSize - taps, Math.max(0, first));
    starts[i] = start;
    exact.fill(0);
    let total = 0;
    for (let k = 0; k < taps; k++) {
      const w = lanczos((first + k - centre) / scale);
      const at = Math.min(inSize - 1, Math.max(0, first + k)) - start;
      exact[at]! += w;
      total += w;
    }
    // Rounded to fixed point; the rounding error goes to the largest weight, so the sum is exact
    // and a flat area stays exactly flat.
    let sum = 0;
    let largest = 0;
    for (let k = 0; k < taps; k++) {
      const w = Math.round((exact[k]! / total) * one);
      weights[i * taps + k] = w;
      sum += w;
      if (Math.abs(w) > Math.abs(weights[i * taps + largest]!)) largest = k;
    }
    weights[i * taps + largest]! += one - sum;
  }
  return { pairs, starts, weights };
}

/**
 * Straight alpha to premultiplied, in place, and back: sharp resizes pictures with alpha
 * premultiplied, so that the colour of a transparent pixel (often black) does not bleed into its
 * opaque neighbours. Round trip loses precision only where alpha is small.
 */
export function premultiply(rgba: Uint8ClampedArray): void {
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3]!;
    if (a === 255) continue;
    rgba[i] = (rgba[i]! * a) / 255;
    rgba[i + 1] = (rgba[i + 1]! * a) / 255;
    rgba[i + 2] = (rgba[i + 2]! * a) / 255;
  }
}

export function unpremultiply(rgba: Uint8ClampedArray): void {
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3]!;
    if (a === 255 || a === 0) continue;
    rgba[i] = (rgba[i]! * 255) / a;
    rgba[i + 1] = (rgba[i + 1]! * 255) / a;
    rgba[i + 2] = (rgba[i + 2]! * 255) / a;
  }
}

/** The weights as the passes load them: for each output sample and pair, [w0 w1] four times (one per channel or column). */
function pairedWeights(filter: AxisFilter): Int16Array {
  const count = filter.starts.length * filter.pairs;
  const out = new Int16Array(count * 8);
  for (let p = 0; p < count; p++) {
    for (let lane = 0; lane < 4; lane++) {
      out[p * 8 + lane * 2] = filter.weights[p * 2]!;
      out[p * 8 + lane * 2 + 1] = filter.weights[p * 2 + 1]!;
    }
  }
  return out;
}

type Exports = {
  horizontal(src: number, rows: number, width: number, outWidth: number, pairs: number, starts: number, weights: number, dst: number, dstStride: number): void;
  vertical(src: number, stride: number, outHeight: number, pairs: number, starts: number, weights: number, dst: number): void;
};

export type Resampler = {
  /** Filters `rows` full input rows (RGBA, width px each) starting at input row `y`; strips come in order from the top. */
  addRows(rgba: Uint8ClampedArray, y: number, rows: number): void;
  /** The output picture (RGBA, outWidth x outHeight), once every input row was added. */
  finish(): Uint8ClampedArray<ArrayBuffer>;
};

export type ResamplerFactory = (width: number, height: number, outWidth: number, outHeight: number, stripRows: number) => Resampler;

let compiled: Promise<WebAssembly.Module> | undefined;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The WebAssembly resampler. Rejects where WebAssembly with SIMD is not available (a browser
 * before 2021-2023, or a Content-Security-Policy without 'wasm-unsafe-eval'); the caller then
 * uses the browser's own filter.
 */
export async function loadResampler(): Promise<ResamplerFactory> {
  compiled ??= WebAssembly.compile(decodeBase64(RESAMPLE_WASM_BASE64));
  const wasm = await compiled;
  const align = (n: number) => Math.ceil(n / 16) * 16;

  return (width, height, outWidth, outHeight, stripRows) => {
    if (![width, height, outWidth, outHeight, stripRows].every((n) => Number.isInteger(n) && n > 0)) throw new Error("sizes must be positive integers");
    const h = axisFilter(width, outWidth);
    const v = axisFilter(height, outHeight);
    const stride = align(outWidth * 4);
    // Memory layout: the filters, one strip of input, the horizontally filtered rows, the output.
    let end = 16;
    const place = (bytes: number) => {
      const at = end;
      end = align(end + bytes);
      return at;
    };
    const hStarts = place(h.starts.byteLength);
    const hWeights = place(h.starts.length * h.pairs * 16);
    const vStarts = place(v.starts.byteLength);
    const vWeights = place(v.starts.length * v.pairs * 16);
    const strip = place(stripRows * width * 4);
    const middle = place(height * stride);
    const output = place(outHeight * stride);
    const memory = new WebAssembly.Memory({ initial: Math.ceil(end / 65536) });
    const exports = new WebAssembly.Instance(wasm, { env: { memory } }).exports as unknown as Exports;
    const heap = new Uint8Array(memory.buffer);
    heap.set(new Uint8Array(h.starts.buffer), hStarts);
    heap.set(new Uint8Array(pairedWeights(h).buffer), hWeights);
    heap.set(new Uint8Array(v.starts.buffer), vStarts);
    heap.set(new Uint8Array(pairedWeights(v).buffer), vWeights);
    let nextRow = 0;

    return {
      addRows(rgba, y, rows) {
        if (y !== nextRow) throw new Error(`rows must come in order: expected row ${nextRow}, got ${y}`);
        if (rows > stripRows || y + rows > height || rgba.length < rows * width * 4) throw new Error("strip outside the picture");
        heap.set(rgba.subarray(0, rows * width * 4), strip);
        exports.horizontal(strip, rows, width, outWidth, h.pairs, hStarts, hWeights, middle + y * stride, stride);
        nextRow = y + rows;
      },
      finish() {
        if (nextRow !== height) throw new Error(`only ${nextRow} of ${height} rows were added`);
        exports.vertical(middle, stride, outHeight, v.pairs, vStarts, vWeights, output);
        const result = new Uint8ClampedArray(outWidth * outHeight * 4);
        const row = outWidth * 4;
        if (row === stride) result.set(heap.subarray(output, output + outHeight * stride));
        else for (let y = 0; y < outHeight; y++) result.set(heap.subarray(output + y * stride, output + y * stride + row), y * row);
        return result;
      },
    };
  };
}
