/**
 * The two crop boxes every input is cut with: a small one (a face in a group photo), off centre,
 * and a large one (most of the picture), both square, on an upright picture (orientation 1, no turn).
 */
import type { CropRequest } from "@/lib/images/crop-geometry";

import type { InputSpec } from "./inputs";

export type BoxKind = "small" | "large";
export const BOXES: readonly BoxKind[] = ["small", "large"];

/** Each box's side as a share of the picture's short side. */
export const BOX_SHARE: Record<BoxKind, number> = { small: 0.15, large: 0.9 };

/** The box of the concurrency runs (bench/probe.ts). */
export const CONCURRENCY_BOX: BoxKind = "large";

export function cropBox(spec: InputSpec, kind: BoxKind): CropRequest {
  const short = Math.min(spec.width, spec.height);
  const side = Math.round(short * BOX_SHARE[kind]);
  if (kind === "large") {
    return { left: Math.round((spec.width - side) / 2), top: Math.round((spec.height - side) / 2), width: side, height: side, rotation: 0 };
  }
  return { left: Math.round(spec.width * 0.6), top: Math.round(spec.height * 0.45), width: side, height: side, rotation: 0 };
}
