// s3rver ships no types; this is the part of its API the embedded S3 server uses.
declare module "s3rver" {
  type S3rverOptions = { address: string; port: number; directory: string; silent: boolean; vhostBuckets: boolean; resetOnClose: boolean };
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
