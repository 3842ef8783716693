import { readFileSync } from "node:fs";

import { ApiUser } from "@/test/harness/api-user";

import { LB_ORIGIN } from "./config";
import { expect, test } from "./fixtures";

/** nginx in front: every response names who answered, round robin, retries past dead instances. */

test("every response through nginx carries x-served-by: pages, API, redirects, errors (static files excepted)", async ({ request, cluster }) => {
  const ids = cluster.specs.map((s) => s.id);
  const cases: [string, Promise<import("@playwright/test").APIResponse>, number][] = [
    ["page", request.get("/signin"), 200],
    ["redirect (page, not signed in)", request.get("/avatar/new", { maxRedirects: 0 }), 307],
    ["API", request.get("/api/health"), 200],
    ["API error: no session", request.get("/api/avatars"), 401],
    ["API error: cross-site POST", request.post("/api/uploads", { data: {}, headers: { origin: "https://evil.example" } }), 403],
    ["route error: malformed id", request.get("/avatars/not-an-id/128", { maxRedirects: 0 }), 400],
    ["not found page", request.get("/no-such-page"), 404],
  ];
  const lines: string[] = [];
  for (const [what, pending, status] of cases) {
    const response = await pending;
    expect(response.status(), what).toBe(status);
    expect(ids, `${what}: x-served-by`).toContain(response.headers()["x-served-by"]);
    expect(response.headers()["x-request-id"], what).toMatch(/^[0-9a-f-]{32,36}$/);
    lines.push(`${what}: ${status} <- ${response.headers()["x-served-by"]}`);
  }
  // Answered by nginx itself: named "lb", same JSON error shape.
  const tooLarge = await request.post("/api/uploads", { data: { pad: "x".repeat(100_000) } });
  expect(tooLarge.status()).toBe(413);
  expect(tooLarge.headers()["x-served-by"]).toBe("lb");
  expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe("body_too_large");
  lines.push(`body over client_max_body_size: 413 <- lb`);
  // Static files skip proxy.ts (its matcher): content-hashed and identical on every instance.
  const html = await (await request.get("/signin")).text();
  const asset = /\/_next\/static\/[^"]+\.js/.exec(html)![0];
  const staticResponse = await request.get(asset);
  expect(staticResponse.status()).toBe(200);
  expect(staticResponse.headers()["x-served-by"]).toBeUndefined();
  expect(staticResponse.headers()["cache-control"]).toContain("immutable");
  lines.push(`static ${asset}: 200, no x-served-by (by design)`);
  console.log(lines.join("\n"));
});

test("round robin without stickiness: consecutive requests go to every instance", async ({ request, cluster }) => {
  const seen: string[] = [];
  for (let i = 0; i < cluster.specs.length * 2; i++) {
    const response = await request.get("/api/health");
    const body = (await response.json()) as { instance: string };
    expect(body.instance).toBe(response.headers()["x-served-by"]);
    seen.push(body.instance);
  }
  console.log(`6 health checks through nginx: ${seen.join(", ")}`);
  expect(new Set(seen)).toEqual(new Set(cluster.specs.map((s) => s.id)));
});

test("a POST that finds its instance dead (connection refused) is retried on another and succeeds", async ({ cluster }) => {
  const user = await ApiUser.signIn(`retry-${Date.now()}`, LB_ORIGIN);
  const victim = cluster.specs[0]!;
  await cluster.kill(victim.id);
  const results: string[] = [];
  for (let i = 0; i < 6; i++) {
    const response = await user.request.post("/api/uploads", { data: { contentType: "image/jpeg", size: 1000, name: "x.jpg" } });
    results.push(`${response.status()} <- ${response.headers()["x-served-by"]}`);
    expect(response.status()).toBe(201);
    expect(response.headers()["x-served-by"]).not.toBe(victim.id);
  }
  const retried = readFileSync(cluster.accessLog!, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { method: string; path: string; upstream: string; upstreamStatus: string; status: number })
    .filter((line) => line.method === "POST" && line.path === "/api/uploads" && line.upstream.includes(`:${victim.port}, `));
  console.log(`${victim.id} killed; 6 POST /api/uploads: ${results.join(", ")}`);
  console.log(`nginx retried: ${retried.map((r) => `upstream ${r.upstream} (statuses ${r.upstreamStatus}) -> ${r.status}`).join("; ")}`);
  expect(retried.length).toBeGreaterThanOrEqual(1);
  expect(retried.every((r) => r.status === 201)).toBe(true);
  await user.dispose();
});

test("with every instance down, nginx answers 502 in the app's JSON error shape, named lb", async ({ request, cluster }) => {
  await Promise.all(cluster.specs.map((s) => cluster.kill(s.id)));
  const response = await request.get("/api/health");
  expect(response.status()).toBe(502);
  expect(response.headers()["x-served-by"]).toBe("lb");
  expect(response.headers()["retry-after"]).toBe("5");
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unavailable");
  console.log(`all instances killed: GET ${LB_ORIGIN}/api/health -> 502 <- lb`);

  // A page load gets a page that reloads itself (the wizard resumes from its URL), not JSON.
  const pageLoad = await request.get("/avatar/new/0123456789abcdef0123456789abcdef", { headers: { accept: "text/html,application/xhtml+xml" } });
  expect(pageLoad.status()).toBe(503);
  expect(pageLoad.headers()["content-type"]).toContain("text/html");
  expect(pageLoad.headers()["x-served-by"]).toBe("lb");
  const html = await pageLoad.text();
  expect(html).toContain('<meta http-equiv="refresh" content="2">');
  expect(html).toContain("reloads by itself");
  // Next's own RSC fetch during a client navigation still gets JSON (it then loads the page in full).
  const rsc = await request.get("/avatar/new", { headers: { accept: "*/*", rsc: "1" } });
  expect(rsc.status()).toBe(502);
  expect(rsc.headers()["content-type"]).toContain("application/json");
});
