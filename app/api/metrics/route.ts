import { route } from "@/lib/http/handler";
import { renderMetrics } from "@/lib/metrics/registry";
import { authorizeScrape } from "@/lib/metrics/scrape-access";

/** For Prometheus: this instance's metrics, off unless METRICS_TOKEN is set, then only with it. Not behind the user session. */
export const GET = route(async ({ request }) => {
  authorizeScrape(request.headers.get("authorization"));
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
