import { NextResponse } from "next/server";

import { route } from "@/lib/http/handler";
import { instanceId } from "@/lib/log";
import { checkBucketReachable } from "@/lib/storage/objects";

/** For load balancers: 200 when this instance can reach S3, 503 when it cannot. */
export const GET = route(async () => {
  await checkBucketReachable();
  return NextResponse.json({ status: "ok", instance: instanceId() });
});
