/** The "Time per operation" section: every way on every case, the ratios between them, and step 1's finishUpload. */
import { finishUpload } from "@/lib/avatars/finish-upload";

import { BOXES } from "../crop-boxes";
import { PIXEL_CHECK_SIDE, SAME_PICTURE_BELOW } from "../pixel-check";
import { formatMs, formatRatio, median, p95 } from "../stats";
import type { CaseKey } from "../timed";
import { WAY_LABELS, WAYS, type Way } from "../ways";
import { section } from "./markdown";
import { caseRatio, type Results } from "./results";

/** The ratio columns of the timing table. */
const RATIOS: { label: string; numerator: Way; denominator: Way }[] = [
  { label: "app / floor", numerator: "app", denominator: "floor" },
  { label: "ImageMagick / app", numerator: "imagemagick", denominator: "app" },
  { label: "ImageMagick, one thread / app", numerator: "imagemagick1", denominator: "app" },
  { label: "article / app", numerator: "article", denominator: "app" },
  { label: "app, naive crop / app", numerator: "naiveApp", denominator: "app" },
];

function timingTable(results: Results): string[] {
  const lines = [
    `| case | ${WAYS.map((way) => WAY_LABELS[way]).join(" | ")} | ${RATIOS.map((r) => r.label).join(" | ")} | fast vs full decode (Δ 0-255) |`,
    `|---|${WAYS.map(() => "---:").join("|")}|${RATIOS.map(() => "---:").join("|")}|---:|`,
  ];
  for (const input of results.inputs)
    for (const box of BOXES) {
      const key: CaseKey = `${input.id}/${box}`;
      const cells = WAYS.map((way) => {
        const samples = results.timing.crop[key]?.[way] ?? [];
        return `${formatMs(median(samples))} / ${formatMs(p95(samples))}`;
      });
      const ratios = RATIOS.map((r) => formatRatio(caseRatio(results, input.id, box, r.numerator, r.denominator)));
      lines.push(`| ${input.label}, ${box} box | ${cells.join(" | ")} | ${ratios.join(" | ")} | ${(results.pixelCheck[key] ?? Number.NaN).toFixed(2)} |`);
    }
  return lines;
}

function pixelCheckSentence(results: Results): string {
  const differences = Object.values(results.pixelCheck);
  if (!differences.length) return "";
  const largest = Math.max(...differences);
  const verdict = largest < SAME_PICTURE_BELOW ? "the shrink-on-load path gives the same picture" : "the shrink-on-load path gives a visibly different picture";
  return `"fast vs full decode" is the mean difference (0-255, on ${PIXEL_CHECK_SIDE}×${PIXEL_CHECK_SIDE}) between the app's crop and the naive full-resolution one: ${verdict} (at most ${largest.toFixed(2)} here).`;
}

export function timingSection(results: Results): string[] {
  return section(
    "Time per operation (ms, median / p95)",
    timingTable(results),
    [`p95 is interpolated over ${results.settings.iterations} samples per cell.`, pixelCheckSentence(results)].filter(Boolean).join(" "),
    `Step 1's server side, \`${finishUpload.name}\` (HEAD preview, GET original, check, preview and its suggested crop, PUT preview), per input:`,
    [
      "| input | median | p95 |",
      "|---|---:|---:|",
      ...results.inputs.map((input) => {
        const samples = results.timing.finish[input.id] ?? [];
        return `| ${input.label} | ${formatMs(median(samples))} ms | ${formatMs(p95(samples))} ms |`;
      }),
    ],
  );
}
