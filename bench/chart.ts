/**
 * The chart of bench/results/latest.md, as SVG written here (no charting dependency): for each crop
 * box, time per operation by input picture for every way, median as a bar and p95 as a whisker, on a
 * logarithmic axis (the ways differ by an order of magnitude).
 */
import type { BoxKind } from "./crop-boxes";
import type { Way } from "./ways";

export type ChartSeries = { way: Way; label: string; color: string; dashed?: boolean };
export type ChartPoint = { median: number; p95: number };
export type ChartData = {
  title: string;
  subtitle: string;
  categories: { id: string; label: string }[];
  boxes: { box: BoxKind; label: string }[];
  series: ChartSeries[];
  value: (category: string, box: BoxKind, way: Way) => ChartPoint | undefined;
};

export const WAY_COLORS: Record<Way, string> = {
  app: "#1f6feb",
  naiveApp: "#8fb8f5",
  floor: "#2da44e",
  naive: "#8b949e",
  article: "#bf8700",
  imagemagick: "#cf222e",
  imagemagick1: "#f5a3a8",
};

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function niceLogTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let decade = Math.floor(Math.log10(min)); decade <= Math.ceil(Math.log10(max)); decade++) {
    for (const m of [1, 2, 5]) {
      const value = m * 10 ** decade;
      if (value >= min * 0.999 && value <= max * 1.001) ticks.push(value);
    }
  }
  return ticks;
}

const formatTick = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

export function renderChart(data: ChartData): string {
  const width = 980;
  const panelHeight = 300;
  const margin = { left: 70, right: 20, top: 118, bottom: 52 };
  const gap = 56;
  const height = margin.top + data.boxes.length * panelHeight + (data.boxes.length - 1) * gap + margin.bottom;
  const plotWidth = width - margin.left - margin.right;

  const values: number[] = [];
  for (const category of data.categories)
    for (const box of data.boxes)
      for (const series of data.series) {
        const point = data.value(category.id, box.box, series.way);
        if (point && Number.isFinite(point.median)) values.push(point.median, point.p95);
      }
  const lo = 10 ** Math.floor(Math.log10(Math.max(1, Math.min(...values))));
  const largest = Math.max(...values);
  const decade = 10 ** Math.floor(Math.log10(largest));
  const hi = [1, 2, 5, 10].map((m) => m * decade).find((v) => v >= largest) ?? 10 * decade;
  const ticks = niceLogTicks(lo, hi);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${margin.left}" y="24" font-size="16" font-weight="bold">${escape(data.title)}</text>`);
  out.push(`<text x="${margin.left}" y="44" fill="#57606a">${escape(data.subtitle)}</text>`);
  // Legend: three per row
  data.series.forEach((series, i) => {
    const lx = margin.left + (i % 3) * 290;
    const ly = 58 + Math.floor(i / 3) * 20;
    out.push(`<rect x="${lx}" y="${ly}" width="14" height="14" fill="${series.color}"${series.dashed ? ' fill-opacity="0.55"' : ""}/>`);
    out.push(`<text x="${lx + 19}" y="${ly + 12}">${escape(series.label)}</text>`);
  });

  data.boxes.forEach((box, panel) => {
    const top = margin.top + panel * (panelHeight + gap);
    const y = (ms: number) => top + panelHeight - ((Math.log10(ms) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * panelHeight;
    out.push(`<text x="${margin.left}" y="${top - 10}" font-weight="bold">${escape(box.label)}</text>`);
    for (const tick of ticks) {
      out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#d0d7de" stroke-width="1"/>`);
      out.push(`<text x="${margin.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" fill="#57606a">${formatTick(tick)}</text>`);
    }
    out.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${top}" y2="${top + panelHeight}" stroke="#57606a"/>`);
    const groupWidth = plotWidth / data.categories.length;
    const barWidth = Math.min(26, (groupWidth - 24) / data.series.length);
    data.categories.forEach((category, c) => {
      const groupLeft = margin.left + c * groupWidth + (groupWidth - barWidth * data.series.length) / 2;
      data.series.forEach((series, s) => {
        const point = data.value(category.id, box.box, series.way);
        if (!point || !Number.isFinite(point.median)) return;
        const x = groupLeft + s * barWidth;
        const yMedian = y(point.median);
        out.push(
          `<rect x="${(x + 1).toFixed(1)}" y="${yMedian.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(top + panelHeight - yMedian).toFixed(1)}" fill="${series.color}"${series.dashed ? ' fill-opacity="0.55"' : ""}><title>${escape(`${category.label}, ${series.label}: median ${point.median.toFixed(0)} ms, p95 ${point.p95.toFixed(0)} ms`)}</title></rect>`,
        );
        const cx = x + barWidth / 2;
        out.push(`<line x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${yMedian.toFixed(1)}" y2="${y(point.p95).toFixed(1)}" stroke="#24292f" stroke-width="1"/>`);
        out.push(`<line x1="${(cx - 4).toFixed(1)}" x2="${(cx + 4).toFixed(1)}" y1="${y(point.p95).toFixed(1)}" y2="${y(point.p95).toFixed(1)}" stroke="#24292f" stroke-width="1"/>`);
        out.push(
          `<text x="${cx.toFixed(1)}" y="${(Math.min(y(point.p95), yMedian) - 4).toFixed(1)}" text-anchor="middle" font-size="9" fill="#24292f">${point.median >= 1000 ? (point.median / 1000).toFixed(1) + "s" : Math.round(point.median)}</text>`,
        );
      });
      out.push(`<text x="${(margin.left + (c + 0.5) * groupWidth).toFixed(1)}" y="${top + panelHeight + 18}" text-anchor="middle">${escape(category.label)}</text>`);
    });
  });
  out.push(
    `<text x="${margin.left}" y="${height - 12}" fill="#57606a">Bars: median; whiskers: p95. Logarithmic scale. Each way ran the same cases in the same iterations, interleaved.</text>`,
  );
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
