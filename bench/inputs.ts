/**
 * Benchmark inputs, generated here (no binaries in the repo) and cached under bench/tmp/inputs.
 * Photo-like on purpose: smooth gradients (sky, light falloff), shapes with hard edges (objects),
 * textured regions (foliage, fabric) and sensor grain. Plain noise would make JPEG files far larger
 * than a camera's, a flat picture far smaller; either would make decode and transfer times unreal.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

import sharp from "sharp";

export type InputFormat = "jpeg" | "png" | "webp";
export type InputSpec = { id: string; label: string; format: InputFormat; width: number; height: number; contentType: string };

/** 12, 24 and 48 MP at a camera's 4:3 / 3:2 proportions, and a large PNG and WebP (a screenshot tool, an export). */
export const INPUTS: readonly InputSpec[] = [
  { id: "jpeg-12mp", label: "JPEG 12 MP", format: "jpeg", width: 4000, height: 3000, contentType: "image/jpeg" },
  { id: "jpeg-24mp", label: "JPEG 24 MP", format: "jpeg", width: 6000, height: 4000, contentType: "image/jpeg" },
  { id: "jpeg-48mp", label: "JPEG 48 MP", format: "jpeg", width: 8000, height: 6000, contentType: "image/jpeg" },
  { id: "png-12mp", label: "PNG 12 MP", format: "png", width: 4000, height: 3000, contentType: "image/png" },
  { id: "webp-24mp", label: "WebP 24 MP", format: "webp", width: 6000, height: 4000, contentType: "image/webp" },
];

/** xorshift32: the same picture on every machine and every run. */
function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

/** A grid of random values, read back with bilinear interpolation: smooth value noise. */
function valueNoise(random: () => number, cellsX: number, cellsY: number) {
  const gx = cellsX + 2;
  const grid = new Float32Array(gx * (cellsY + 2));
  for (let i = 0; i < grid.length; i++) grid[i] = random() * 2 - 1;
  return (u: number, v: number): number => {
    const x = u * cellsX;
    const y = v * cellsY;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    const sx = fx * fx * (3 - 2 * fx);
    const sy = fy * fy * (3 - 2 * fy);
    const i = y0 * gx + x0;
    const a = grid[i]! + (grid[i + 1]! - grid[i]!) * sx;
    const b = grid[i + gx]! + (grid[i + gx + 1]! - grid[i + gx]!) * sx;
    return a + (b - a) * sy;
  };
}

type Shape = { kind: "rect" | "disc"; x: number; y: number; w: number; h: number; rgb: [number, number, number]; texture: number };

/** Raw RGB pixels of a photo-like scene. */
export function photoPixels(width: number, height: number, seed: number): Buffer {
  const random = rng(seed);
  const data = Buffer.alloc(width * height * 3);
  const light = valueNoise(random, 3, 3); // large-scale light falloff
  const hue = [valueNoise(random, 5, 4), valueNoise(random, 5, 4), valueNoise(random, 5, 4)];
  const detail = valueNoise(random, Math.ceil(width / 24), Math.ceil(height / 24)); // mid-frequency texture
  const fine = valueNoise(random, Math.ceil(width / 5), Math.ceil(height / 5)); // foliage-like texture
  const shapes: Shape[] = Array.from({ length: 60 }, () => {
    const w = (0.03 + random() * 0.25) * width;
    const h = (0.03 + random() * 0.25) * height;
    return {
      kind: random() < 0.5 ? "rect" : "disc",
      x: random() * width - w / 2,
      y: random() * height - h / 2,
      w,
      h,
      rgb: [random() * 255, random() * 255, random() * 255],
      texture: random() < 0.4 ? 80 : 18,
    };
  });
  // For each row, the shapes that cross it (cheap rejection).
  const base = new Float32Array(3);
  let grainState = (seed * 2654435761) >>> 0 || 7;
  for (let y = 0; y < height; y++) {
    const v = y / height;
    const rowShapes = shapes.filter((s) => y >= s.y && y < s.y + s.h);
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const l = 0.75 + 0.35 * light(u, v);
      base[0] = 120 + 90 * hue[0]!(u, v) + 60 * (1 - v);
      base[1] = 120 + 80 * hue[1]!(u, v);
      base[2] = 110 + 100 * hue[2]!(u, v) + 70 * (1 - v);
      let texture = 10;
      for (let s = rowShapes.length - 1; s >= 0; s--) {
        const shape = rowShapes[s]!;
        if (x < shape.x || x >= shape.x + shape.w) continue;
        if (shape.kind === "disc") {
          const dx = (x - shape.x) / shape.w - 0.5;
          const dy = (y - shape.y) / shape.h - 0.5;
          if (dx * dx + dy * dy > 0.25) continue;
        }
        base[0] = shape.rgb[0];
        base[1] = shape.rgb[1];
        base[2] = shape.rgb[2];
        texture = shape.texture;
        break;
      }
      const t = texture * fine(u, v) + 14 * detail(u, v);
      // Sensor grain: a small triangular-distributed luminance noise from an inline xorshift.
      grainState ^= grainState << 13;
      grainState ^= grainState >>> 17;
      grainState ^= grainState << 5;
      const grain = (((grainState & 0xff) + ((grainState >>> 8) & 0xff)) / 255 - 1) * 9;
      const i = (y * width + x) * 3;
      data[i] = clamp(base[0]! * l + t + grain);
      data[i + 1] = clamp(base[1]! * l + t + grain);
      data[i + 2] = clamp(base[2]! * l + t * 0.8 + grain);
    }
  }
  return data;
}

function clamp(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

/** What a camera or phone writes: quality 90, 4:2:0 chroma subsampling, baseline. */
export const CAMERA_JPEG = { quality: 90, chromaSubsampling: "4:2:0", mozjpeg: false } as const;

async function encode(spec: InputSpec, seed: number): Promise<Buffer> {
  const raw = photoPixels(spec.width, spec.height, seed);
  const image = sharp(raw, { raw: { width: spec.width, height: spec.height, channels: 3 } });
  switch (spec.format) {
    case "jpeg":
      return image.jpeg(CAMERA_JPEG).toBuffer();
    case "png":
      return image.png({ compressionLevel: 6 }).toBuffer();
    case "webp":
      return image.webp({ quality: 90 }).toBuffer();
  }
}

const GENERATOR_VERSION = 3;

/** Where loadInput caches an input: a file a browser can be handed as the user's choice. */
export const inputPath = (spec: InputSpec, cacheDir: string) => path.join(cacheDir, `${spec.id}-v${GENERATOR_VERSION}.${spec.format === "jpeg" ? "jpg" : spec.format}`);

/** The encoded input, generated once and cached (bench/tmp is git-ignored). */
export async function loadInput(spec: InputSpec, cacheDir: string): Promise<Buffer> {
  mkdirSync(cacheDir, { recursive: true });
  const file = inputPath(spec, cacheDir);
  if (existsSync(file)) return readFileSync(file);
  const bytes = await encode(spec, 1000 + spec.width + spec.height);
  writeFileSync(`${file}.part`, bytes);
  renameSync(`${file}.part`, file);
  return bytes;
}
