/** The "Peak memory per way" section: each way alone in a fresh process, its peak RSS. */
import { formatMiB } from "../stats";
import { WAY_LABELS, WAYS } from "../ways";
import { section } from "./markdown";
import { inputLabel, type Results } from "./results";

export function peakMemorySection(results: Results): string[] {
  if (!results.rss.length) return [];
  const boxes = [...new Set(results.rss.map((r) => `${r.box} box`))].join(", ");
  const inputs = [...new Set(results.rss.map((r) => r.input))];
  // A way whose figure is another process's (ImageMagick's convert) says so in its note; it has no baseline of its own.
  const notes = [...new Map(results.rss.filter((r) => r.note).map((r) => [r.way, `For ${WAY_LABELS[r.way]} it is the ${r.note}.`])).values()];
  return section(
    `Peak memory per way (${boxes})`,
    [
      `Each figure is a fresh process doing that operation ${results.settings.rssRepeats}×: its peak RSS, and in brackets the growth over its RSS just before (Node, the AWS SDK and the input bytes are in the baseline).`,
      ...notes,
    ].join(" "),
    [
      `| input | ${WAYS.map((way) => WAY_LABELS[way]).join(" | ")} |`,
      `|---|${WAYS.map(() => "---:").join("|")}|`,
      ...inputs.map((input) => {
        const cells = WAYS.map((way) => {
          const r = results.rss.find((x) => x.input === input && x.way === way);
          if (!r) return "–";
          return r.note ? formatMiB(r.peakRss) : `${formatMiB(r.peakRss)} (+${formatMiB(Math.max(0, r.peakRss - r.baselineRss))})`;
        });
        return `| ${inputLabel(results, input)} | ${cells.join(" | ")} |`;
      }),
    ],
  );
}
