/** One run's results as latest.json holds them, and the look-ups the report's sections share. */
import type { BoxKind } from "../crop-boxes";
import type { InputSpec } from "../inputs";
import type { Load, MachineFacts } from "../machine";
import type { ConcurrencyResult, RssResult } from "../probe";
import type { RequestCosts } from "../request-costs";
import { median } from "../stats";
import type { Samples } from "../timed";
import { WAYS, type Way } from "../ways";
import type { WebResults } from "../web";
import type { NetworkResults } from "../web/network";

export type Results = {
  mode: "full" | "quick";
  startedAt: string;
  finishedAt: string;
  /** `only`: the parts this run measured, when not all (--only). */
  settings: { iterations: number; warmup: number; rssRepeats: number; concurrencyOperations: number; concurrencyRounds: number; only?: string[] };
  machine: MachineFacts;
  loads: { label: string; load: Load }[];
  inputs: (InputSpec & { bytes: number; previewBytes: number; boxes: Record<BoxKind, { left: number; top: number; width: number; height: number }> })[];
  timing: Samples;
  pixelCheck: Record<string, number>;
  rss: RssResult[];
  concurrency: ConcurrencyResult[];
  bound: ConcurrencyResult[];
  web?: WebResults;
  webError?: string;
  network?: NetworkResults;
  networkError?: string;
  /** CPU per S3 call, one at a time (absent in results from before it was measured). */
  requestCosts?: RequestCosts;
};

/** Median milliseconds of one way on one case (NaN when it did not run). */
export function caseMedian(results: Results, input: string, box: BoxKind, way: Way): number {
  return median(results.timing.crop[`${input}/${box}`]?.[way] ?? []);
}

export function caseRatio(results: Results, input: string, box: BoxKind, numerator: Way, denominator: Way): number {
  return caseMedian(results, input, box, numerator) / caseMedian(results, input, box, denominator);
}

/** The ways this run timed: ImageMagick's is skipped where convert is missing. */
export function measuredWays(results: Results): Way[] {
  const cases = Object.values(results.timing.crop);
  return WAYS.filter((way) => cases.some((byWay) => (byWay[way]?.length ?? 0) > 0));
}

export function inputLabel(results: Results, id: string): string {
  return results.inputs.find((input) => input.id === id)?.label ?? id;
}
