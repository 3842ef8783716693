/**
 * The server's side of a copy's format: sharp must read it (the upload check: header and preview)
 * and crop it (zoom 1 and zoom 3, every rendition), each timed against the same work on the
 * reference copy in the same run.
 */
import { performance } from "node:perf_hooks";

import { cropToRenditions, inspectImage, makePreview, type DecodeLimits } from "@/lib/images/pipeline";
import { RENDITION_SIZES } from "@/lib/storage/keys";

import { median } from "../stats";

const LIMITS: DecodeLimits = { maxPixels: 100_000_000, timeoutSeconds: 30 };
const REPEATS = 5;

type Timed = { format: string; checkMs: number; cropMs: number };
type Size = { width: number; height: number };

async function medianMs(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

async function timed(bytes: Buffer, size: Size): Promise<Timed> {
  const image = await inspectImage(bytes, LIMITS);
  const side = Math.min(size.width, size.height);
  const crops = [1, 3].map((zoom) => {
    const cropSide = Math.floor(side / zoom);
    return { left: Math.floor((size.width - cropSide) / 2), top: Math.floor((size.height - cropSide) / 2), width: cropSide, height: cropSide, rotation: 0 as const };
  });
  const checkMs = await medianMs(async () => {
    await inspectImage(bytes, LIMITS);
    await makePreview(bytes, LIMITS);
  });
  const cropMs = await medianMs(() => Promise.all(crops.map((crop) => cropToRenditions(bytes, image, crop, LIMITS, RENDITION_SIZES))));
  return { format: image.format, checkMs, cropMs };
}

export type ServerCosts = { format: string; check: string; crop: string };

export async function serverCosts(reference: Buffer, size: Size): Promise<{ reference: ServerCosts; of: (bytes: Buffer) => Promise<ServerCosts> }> {
  const base = await timed(reference, size);
  const describe = (t: Timed): ServerCosts => ({
    format: t.format,
    check: `${(t.checkMs / base.checkMs).toFixed(2)}× (${t.checkMs.toFixed(0)} ms)`,
    crop: `${(t.cropMs / base.cropMs).toFixed(2)}× (${t.cropMs.toFixed(0)} ms)`,
  });
  return {
    reference: describe(base),
    of: async (bytes) => {
      try {
        return describe(await timed(bytes, size));
      } catch (error) {
        return { format: `unreadable (${error instanceof Error ? error.message : String(error)})`, check: "-", crop: "-" };
      }
    },
  };
}
