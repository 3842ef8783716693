import { NextResponse } from "next/server";

import { checkBucketHealth } from "@/lib/health/bucket-health";
import { route } from "@/lib/http/handler";
import { instanceId } from "@/lib/log";

/** For load balancers: 200 when this instance can reach S3, 503 when it cannot (a probe at most a second old). */
export const GET = route(async () => {
  await checkBucketHealth();
  return NextResponse.json({ status: "ok", instance: instanceId() });
});
