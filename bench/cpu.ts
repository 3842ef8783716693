/**
 * CPU time of the bench's processes: this one (the app's code runs in it, libvips threads included:
 * process.cpuUsage is getrusage(RUSAGE_SELF)) and the S3 server's, read from /proc because it is
 * another process. The S3 server's CPU is reported beside the app's, never added to it: a real S3
 * does that work on other machines.
 */
import { readFileSync } from "node:fs";

/** This process's CPU time so far (user + system), in ms. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * CPU time so far of process `pid` (the S3 server) from /proc/<pid>/stat: utime + stime in clock
 * ticks of 10 ms (USER_HZ is 100 on Linux). Undefined when unknown (no pid, not Linux, gone).
 */
export function processCpuMs(pid: number | string | undefined): number | undefined {
  if (pid === undefined || pid === "") return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export type CpuSpan = { appCpuMs: number; s3CpuMs?: number };

/** CPU spent by this process and by the S3 server (`s3Pid`) while `operation` ran. */
export async function measureCpu<T>(s3Pid: number | undefined, operation: () => Promise<T>): Promise<{ result: T } & CpuSpan> {
  const app = ownCpuMs();
  const s3 = processCpuMs(s3Pid);
  const result = await operation();
  const appCpuMs = ownCpuMs() - app;
  const s3After = processCpuMs(s3Pid);
  return { result, appCpuMs, s3CpuMs: s3 !== undefined && s3After !== undefined ? s3After - s3 : undefined };
}
