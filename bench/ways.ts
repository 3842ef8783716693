/**
 * The ways of doing the server side of step 2 + step 3 (crop the original, encode it, make the
 * renditions, with the S3 round trips where the way has them), each as one async operation:
 *
 *  - app: the app's own code path, the use cases the route handlers call (cropUpload, saveAvatar)
 *    against S3 over HTTP, job limiter included (ways/app.ts).
 *  - naiveApp: the app's code path with the crop step's sharp pipeline replaced by the naive one
 *    (same S3 round trips, same limiter, same saveAvatar; ways/app.ts).
 *  - floor: the app's sharp transforms on bytes already in memory: no S3, no limiter. What the app
 *    could not go below (ways/in-memory.ts).
 *  - naive: a sharp pipeline that decodes the picture at full resolution, then crops and shrinks,
 *    in memory like the floor. It lives only in the bench (ways/in-memory.ts).
 *  - article: the way tutorials do it: download the object to a temporary file, process the file
 *    with sharp, write every result to disk, upload them from disk (ways/temp-files.ts).
 *  - imagemagick: the same download and upload, with ImageMagick's convert doing the crop and the
 *    resizes, as a PHP host does with Imagick (ways/temp-files.ts). Its OpenMP threads use every core
 *    for one picture.
 *  - imagemagick1: the same, ImageMagick held to one thread (`-limit thread 1`): one picture per
 *    core, as the app's sharp does (one libvips thread per picture), so per picture the comparison
 *    with the app is like for like. Timed on the JPEG 24 MP input only (WAY_INPUTS).
 *
 * bench/README.md says how to add one.
 */
export const WAYS = ["app", "naiveApp", "floor", "naive", "article", "imagemagick", "imagemagick1"] as const;
export type Way = (typeof WAYS)[number];

export const WAY_LABELS: Record<Way, string> = {
  app: "app (use cases + S3)",
  naiveApp: "app, naive crop (+ S3)",
  floor: "floor (app's sharp, in memory)",
  naive: "naive sharp (in memory)",
  article: "article (temp files + S3)",
  imagemagick: "ImageMagick (temp files + S3)",
  imagemagick1: "ImageMagick, one thread (temp files + S3)",
};

/**
 * Ways that run on some inputs only (the others run on every input): single-thread ImageMagick is
 * slow, and its target is about one input.
 */
export const WAY_INPUTS: Partial<Record<Way, readonly string[]>> = { imagemagick1: ["jpeg-24mp"] };

export const wayRunsOn = (way: Way, inputId: string): boolean => WAY_INPUTS[way]?.includes(inputId) ?? true;
