// AssemblyScript (not TypeScript: i32, usize and v128 are WebAssembly's types). Built by
// scripts/build-wasm.ts into lib/client/resample-wasm.generated.ts; lib/client/resample.ts
// lays out the memory and calls these. The two passes of lib/client/resample.ts's Lanczos-3, with
// 128-bit SIMD: in JavaScript a 24 MP photo took 1-1.7 s to resample, far over the 400 ms the
// whole preparation may take.
//
// Weights are 14-bit fixed point (each output sample's weights sum to exactly 1 << 14) and come
// in pairs, so one i32x4.dot_i16x8_s applies two taps to the four channels of a pixel. Every tap
// window lies inside the picture (taps past an edge were folded onto the edge sample by the
// caller), so loads need no clamping.

const ROUND: i32 = 1 << 13;
const SHIFT: i32 = 14;

/** (acc + 0.5) >> 14: the fixed-point sums back to sample values (not yet saturated). */
@inline
function unscale(acc: v128): v128 {
  return i32x4.shr_s(i32x4.add(acc, i32x4.splat(ROUND)), SHIFT);
}

/** One pixel's four sums as four bytes, saturated to 0-255. */
@inline
function toBytes(acc: v128): v128 {
  const rounded = unscale(acc);
  const words = i16x8.narrow_i32x4_s(rounded, rounded);
  return i8x16.narrow_i16x8_u(words, words);
}

/**
 * Horizontal pass over `rows` rows of RGBA at `src` (`width` px each, packed) into `dst` (rows of
 * `dstStride` bytes). Output pixel x reads `pairs` pixel pairs from src pixel start[x] (i32 at
 * `starts`), with weights at `weights` + x * pairs * 16: [w0 w1] x 4 as i16.
 */
export function horizontal(src: usize, rows: i32, width: i32, outWidth: i32, pairs: i32, starts: usize, weights: usize, dst: usize, dstStride: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = src + <usize>(r * width * 4);
    let out = dst + <usize>(r * dstStride);
    let w = weights;
    for (let x = 0; x < outWidth; x++) {
      let p = row + <usize>(load<i32>(starts + (<usize>x << 2)) << 2);
      let acc = i32x4.splat(0);
      for (let j = 0; j < pairs; j++) {
        // [r0 g0 b0 a0 r1 g1 b1 a1] -> [r0 r1 g0 g1 b0 b1 a0 a1] as i16: each channel's two taps adjacent.
        const two = v128.load64_zero(p);
        const paired = i16x8.extend_low_i8x16_u(i8x16.shuffle(two, two, 0, 4, 1, 5, 2, 6, 3, 7, 8, 8, 8, 8, 8, 8, 8, 8));
        acc = i32x4.add(acc, i32x4.dot_i16x8_s(paired, v128.load(w)));
        p += 8;
        w += 16;
      }
      v128.store32_lane(out, toBytes(acc), 0);
      out += 4;
    }
  }
}

/**
 * Vertical pass: output row y of `stride` bytes (a multiple of 16) at `dst` + y * stride is the
 * weighted sum of `pairs` row pairs from row start[y] of `src` (rows of `stride` bytes), weights
 * at `weights` + y * pairs * 16: [wa wb] x 4 as i16.
 */
export function vertical(src: usize, stride: i32, outHeight: i32, pairs: i32, starts: usize, weights: usize, dst: usize): void {
  for (let y = 0; y < outHeight; y++) {
    const first = src + <usize>(load<i32>(starts + (<usize>y << 2)) * stride);
    const w0 = weights + <usize>(y * pairs * 16);
    const out = dst + <usize>(y * stride);
    for (let e = 0; e < stride; e += 16) {
      let acc0 = i32x4.splat(0);
      let acc1 = i32x4.splat(0);
      let acc2 = i32x4.splat(0);
      let acc3 = i32x4.splat(0);
      let a = first + <usize>e;
      let w = w0;
      for (let j = 0; j < pairs; j++) {
        const top = v128.load(a);
        const bottom = v128.load(a + <usize>stride);
        const weight = v128.load(w);
        // Byte k of both rows side by side, so one dot applies both rows' weights.
        const low = i8x16.shuffle(top, bottom, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        const high = i8x16.shuffle(top, bottom, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        acc0 = i32x4.add(acc0, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(low), weight));
        acc1 = i32x4.add(acc1, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_u(low), weight));
        acc2 = i32x4.add(acc2, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(high), weight));
        acc3 = i32x4.add(acc3, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_u(high), weight));
        a += <usize>(stride * 2);
        w += 16;
      }
      const low8 = i16x8.narrow_i32x4_s(unscale(acc0), unscale(acc1));
      const high8 = i16x8.narrow_i32x4_s(unscale(acc2), unscale(acc3));
      v128.store(out + <usize>e, i8x16.narrow_i16x8_u(low8, high8));
    }
  }
}
