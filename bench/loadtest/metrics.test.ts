import { describe, expect, it } from "vitest";

import { parsePrometheus } from "./metrics";

describe("reading /api/metrics", () => {
  it("parses samples with labels (escaped quotes too) and skips comments", () => {
    const samples = parsePrometheus(
      [
        "# HELP avatar_relay_http_requests_total Requests answered.",
        "# TYPE avatar_relay_http_requests_total counter",
        'avatar_relay_http_requests_total{method="POST",route="/api/uploads/[uploadId]/crop",status="201",instance="load-1"} 12',
        'odd{note="a \\"quoted\\" word"} 1.5',
        "process_resident_memory_bytes 123456",
        "",
      ].join("\n"),
    );
    expect(samples).toEqual([
      { name: "avatar_relay_http_requests_total", labels: { method: "POST", route: "/api/uploads/[uploadId]/crop", status: "201", instance: "load-1" }, value: 12 },
      { name: "odd", labels: { note: 'a "quoted" word' }, value: 1.5 },
      { name: "process_resident_memory_bytes", labels: {}, value: 123456 },
    ]);
  });
});
