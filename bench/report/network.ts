/**
 * The "On a phone's uplink" section: the wizard in Chromium with network emulation, per input,
 * uplink and variant of the client's flow, medians over the repetitions; and the cell look-ups the
 * network targets (report/targets.ts) read.
 */
import { formatBytes, formatMs, median } from "../stats";
import { NETWORK, VARIANTS, type NetworkResults, type NetworkRun, type VariantId } from "../web/network";
import { section } from "./markdown";
import type { Results } from "./results";

export type NetworkCell = {
  variant: VariantId;
  input: string;
  uplinkMbit: number;
  runs: number;
  interactiveMs: number;
  savedMs: number;
  uploadedBytes: number;
  /** Median over the runs that prepared the file; null when none did. */
  prepareMs: number | null;
};

/** Medians per (variant, input, uplink), in the order of VARIANTS, the inputs, then the uplinks. */
export function networkCells(network: Pick<NetworkResults, "runs">): NetworkCell[] {
  const groups = new Map<string, NetworkRun[]>();
  for (const run of network.runs) {
    const key = `${run.variant}|${run.input}|${run.uplinkMbit}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const order = (cell: NetworkCell) => [VARIANTS.findIndex((variant) => variant.id === cell.variant), cell.input, -cell.uplinkMbit] as const;
  return [...groups.values()]
    .map((runs): NetworkCell => {
      const prepared = runs.map((run) => run.prepareMs).filter((ms): ms is number => ms !== null);
      return {
        variant: runs[0]!.variant,
        input: runs[0]!.input,
        uplinkMbit: runs[0]!.uplinkMbit,
        runs: runs.length,
        interactiveMs: median(runs.map((run) => run.interactiveMs)),
        savedMs: median(runs.map((run) => run.savedMs)),
        uploadedBytes: median(runs.map((run) => run.uploadedBytes)),
        prepareMs: prepared.length ? median(prepared) : null,
      };
    })
    .sort((a, b) => {
      const [va, ia, ua] = order(a);
      const [vb, ib, ub] = order(b);
      return va - vb || ia.localeCompare(ib, undefined, { numeric: true }) || ua - ub;
    });
}

/** Medians of the floors measured beside the runs for `input` (NaN when the run has none: an older report). */
export function decodeFloor(network: Pick<NetworkResults, "floors">, input: string): { decodeMs: number; jpegCopyBytes: number } {
  const floors = (network.floors ?? []).filter((floor) => floor.input === input);
  if (!floors.length) return { decodeMs: Number.NaN, jpegCopyBytes: Number.NaN };
  return { decodeMs: median(floors.map((floor) => floor.decodeMs)), jpegCopyBytes: median(floors.map((floor) => floor.jpegCopyBytes)) };
}

export function findCell(cells: readonly NetworkCell[], where: { variant: VariantId; input: string; uplinkMbit: number }): NetworkCell | undefined {
  return cells.find((cell) => cell.variant === where.variant && cell.input === where.input && cell.uplinkMbit === where.uplinkMbit);
}

/**
 * What the shrink's preparation and bytes pay for. Side measurements (bench/web/codec-candidates.ts
 * and e2e/same-avatar.spec.ts, not repeated by this run; docs/decisions/copy-stays-jpeg.md has them).
 */
const SHRINK_COST =
  "**What the copy costs, and why.** The crop step is shown from a small picture the worker makes right after its decode (docs/decisions/crop-step-before-the-copy.md); the copy is then resampled with the server's own filter (Lanczos-3, in WebAssembly: `lib/client/resample.ts`) and encoded at JPEG 0.97 behind the crop step, so that the avatar cropped from it is the avatar cropped from the original (< 3/255 per pixel at zoom 1 and 3, `e2e/same-avatar.spec.ts`). **Preparation** therefore no longer delays the crop step; it is the time until the copy exists. Chromium's own WebP is 0.55× the JPEG's bytes at quality 0.9 and 0.42× at 0.85, but its copies put the avatars 3.2/255 apart on pixel-level noise at 0.9 and 3.01/255 on a team photo at 0.85 (the limit is 3), and it encodes 2-3.5× slower than the decode (JPEG 0.3-0.45×). A WebAssembly AVIF (4:4:4, q80) is 0.44-0.49× the bytes, but 3.3-3.4/255 on the noise at zoom 3 and over at zoom 1 on the team photos, and its single-threaded encode is 3-5× the decode: the copy stays a JPEG (docs/decisions/copy-stays-jpeg.md).";

const variantLabel = (id: VariantId) => VARIANTS.find((variant) => variant.id === id)?.label ?? id;
const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : "–");

export function networkErrorSection(results: Results): string[] {
  return results.networkError ? section("On a phone's uplink", `Not measured: ${results.networkError}`) : [];
}

export function networkSection(results: Results): string[] {
  const network = results.network;
  if (!network) return [];
  const cells = networkCells(network);
  const label = (id: string) => network.inputs.find((input) => input.id === id)?.label ?? id;
  const fileBytes = (id: string) => network.inputs.find((input) => input.id === id)?.bytes ?? Number.NaN;
  const check = network.throttleCheck;
  const { normal, slow } = network.repetitions;
  return section(
    "On a phone's uplink",
    `The wizard in ${network.chromium} with network emulation (CDP \`Network.emulateNetworkConditions\`: upload ${NETWORK.uplinksMbit.join(" or ")} Mbit/s, download ${NETWORK.downloadMbit} Mbit/s, latency ${NETWORK.latencyMs} ms) against the production build, \`next start\` once per variant (\`UPLOAD_CLIENT_RESIZE\` × \`UPLOAD_EARLY_CROP\`), all running at once; each repetition visits every cell in a rotated order. The emulation starts once the upload page has loaded and the scripted user has looked at it for ${NETWORK.chooseMs / 1000} s (what the page starts on load, the shrink worker and its scripts, is then ready, as a real user finds it after a file picker; a user who chose within milliseconds of the page loading would wait about 100-200 ms more for it); then the user chooses the file; **interactive** is the time until the crop step's picture is visible and loaded; the user then spends ${NETWORK.cropSeconds} s cropping, clicks Crop when it is enabled, then "Save as my avatar": **saved** is the time from choosing until "Your new avatar is saved." **Uploaded** is the body of the multipart POST to S3 (counted by an HTTP proxy in front of the S3 server). **Preparation** is the page's own work on the file before the upload (its \`avatar-prepare-start\` → \`avatar-prepare-end\` marks; "—": the page did not prepare it). Medians of ${normal} runs per cell; ${slow} for the variants that upload the file as it is at ${Math.min(...NETWORK.uplinksMbit)} Mbit/s (up to a minute each), after one untimed run per app. The apps run with the bench's limits (\`UPLOAD_MAX_BYTES\` 200 MiB, so the unshrunk 48 MP file is accepted); Chromium, the apps and the S3 server share this machine's two cores, so the browser's work on the file (its local preview, the shrink) competes with the servers'.`,
    `Throttle check: a ${formatBytes(check.bytes)} multipart POST from this Chromium to a local server at ${check.uplinkMbit} Mbit/s took ${seconds(check.ms)} (${seconds(check.minMs)} at that rate): ${check.applies ? "the emulation throttles uploads, so no proxy throttling is needed" : "**the emulation did not throttle the upload: these figures do not show the uplink**"}.`,
    !network.featureInBuild &&
      "The measured build has no `UPLOAD_CLIENT_RESIZE` / `UPLOAD_EARLY_CROP` (the client feature is not in it): only today's flow is measured.",
    [
      "| input (file) | uplink | variant | interactive | interactive / decode | saved | uploaded | uploaded / JPEG 0.97 copy | preparation / decode | runs |",
      "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
      ...cells.map((cell) => {
        const floor = decodeFloor(network, cell.input);
        const ratio = (value: number, of: number) => (Number.isFinite(value / of) ? `${(value / of).toFixed(2)}×` : "–");
        return `| ${label(cell.input)} (${formatBytes(fileBytes(cell.input))}) | ${cell.uplinkMbit} Mbit/s | ${variantLabel(cell.variant)} | ${seconds(cell.interactiveMs)} | ${ratio(cell.interactiveMs, floor.decodeMs)} | ${seconds(cell.savedMs)} | ${formatBytes(cell.uploadedBytes)} | ${ratio(cell.uploadedBytes, floor.jpegCopyBytes)} | ${cell.prepareMs === null ? "—" : ratio(cell.prepareMs, floor.decodeMs)} | ${cell.runs} |`;
      }),
    ],
    `Floors, measured in the same run on ${network.machine?.cpuModel ?? "this machine"} (${network.machine?.cores ?? "?"} cores) with ${network.chromium}, before each repetition in a page of their own: a worker's full decode of the file (\`createImageBitmap\`, EXIF applied), and the bytes of a JPEG 0.97 of it at the copy's size (Chromium's resize). ${network.inputs.map((input) => { const floor = decodeFloor(network, input.id); return `${input.label}: decode median ${formatMs(floor.decodeMs)} ms, JPEG copy ${formatBytes(floor.jpegCopyBytes)}`; }).join("; ")}.`,
    SHRINK_COST,
    network.failures.length > 0 && [
      `${network.failures.length} run(s) failed and are not in the medians:`,
      "",
      ...network.failures.map((failure) => `- ${variantLabel(failure.variant)}, ${label(failure.input)}, ${failure.uplinkMbit} Mbit/s, repetition ${failure.repetition + 1}: ${failure.error}`),
    ],
  );
}
