/** The "Machine" section: what ran the bench, and how busy it was along the run. */
import { formatLoad } from "../machine";
import { section } from "./markdown";
import { measuredWays, type Results } from "./results";

export function machineSection(results: Results): string[] {
  const m = results.machine;
  const first = results.loads[0]?.load;
  const last = results.loads.at(-1)?.load;
  const openMp = measuredWays(results).includes("imagemagick") ? "; its OpenMP uses every core for one picture" : "";
  return section("Machine", [
    `- CPU: ${m.cpuModel}, ${m.cores} cores available, ${m.memoryGiB} GiB memory; ${m.os}`,
    `- Node ${m.node}; sharp ${m.sharp} with libvips ${m.libvips} (sharp.concurrency ${m.sharpConcurrency}: libvips threads per image; libuv thread pool ${m.uvThreadpoolSize})`,
    `- ImageMagick: ${m.imagemagick}; ${m.imagemagickPolicy}${openMp}`,
    `- S3: s3rver ${m.s3rver} (the embedded S3) as its own process on loopback, over HTTP; Next.js ${m.next}`,
    `- Load average at start: ${first ? formatLoad(first) : "–"}; at end: ${last ? formatLoad(last) : "–"}`,
    `- Load average along the run: ${results.loads.map((l) => `${l.label} ${l.load.one.toFixed(2)}`).join(", ")}`,
    "- The load average counts this benchmark's own processes too. On a machine shared with other work (builds, test suites), interleaving the ways per iteration spreads that noise over all of them alike, but absolute figures are noisier than on an idle machine.",
  ]);
}
