/** The "Reading these figures" section: what the setup makes larger or smaller than in production. */
import { concurrencyLevels } from "./concurrency";
import { section, spelled, times } from "./markdown";
import { APP_S3, TEMP_FILE_REQUESTS } from "./method";
import { measuredWays, type Results } from "./results";

function s3Bullet(results: Results): string {
  // The CPU figures count the app's process only; the wall-clock ones include waiting for s3rver on the shared cores.
  const ways = measuredWays(results);
  const one = concurrencyLevels(results.concurrency).find((level) => level.workers === 1);
  const perRequest = one ? one.s3CpuPerCropMs / (APP_S3.beforeAnswer + APP_S3.afterAnswer) : Number.NaN;
  const cost = Number.isFinite(perRequest) ? `about ${perRequest.toFixed(0)} ms of CPU (JavaScript and file I/O)` : "JavaScript and file I/O";
  const tempFiles = ways.includes("article") || ways.includes("imagemagick");
  return (
    `- s3rver is a fake S3 on loopback: no network, but every request costs it ${cost} on the same ${spelled(results.machine.cores)} cores. Against a real S3 each round trip costs more (network latency), and the app's ${APP_S3.sequentialSteps} sequential steps weigh more` +
    (tempFiles ? `; the temporary-file ways make fewer requests (${TEMP_FILE_REQUESTS}, no history, pointer or cleanup) but wait on the disk.` : ".") +
    " Its CPU shares the app's cores here and lengthens the app's wall-clock times, which no deployment's S3 does: the app's targets are therefore on its own process's CPU (CPU per operation), with the S3 server's beside."
  );
}

function imagemagickBullet(results: Results): string | undefined {
  if (!measuredWays(results).includes("imagemagick")) return undefined;
  const { cores, sharpConcurrency } = results.machine;
  const jobsMax = results.concurrency[0]?.jobsMax;
  const share = cores / sharpConcurrency;
  const threads = `${spelled(sharpConcurrency)} libvips thread${sharpConcurrency === 1 ? "" : "s"}`;
  return (
    `- ImageMagick uses OpenMP threads on ${cores === 2 ? "both cores" : `all ${spelled(cores)} cores`} for one picture; sharp runs ${threads} per picture (sharp.concurrency) and the app runs IMAGE_JOBS_MAX${jobsMax ? ` (${jobsMax})` : ""} pictures at once. ` +
    (share > 1 ? `Per operation, ImageMagick thus gets ${times(share)} the cores the app uses` : "Per operation, ImageMagick thus gets no more cores than the app uses") +
    (measuredWays(results).includes("imagemagick1") ? "; held to one thread (`-limit thread 1`, the target's row) it gets what the app gets per picture." : ".")
  );
}

export function readingSection(results: Results): string[] {
  return section("Reading these figures", [s3Bullet(results), "- Ratios are of medians from the same run; each way saw the same machine noise.", imagemagickBullet(results)].filter((line) => line !== undefined));
}
