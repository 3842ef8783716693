import http from "node:http";

export type SlowResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * A POST straight to one instance whose JSON body arrives in two parts, so the request is
 * certainly in flight on that instance between `start` and `finish`.
 */
export function slowPost(url: string, path: string, cookie: string, json: unknown) {
  const body = Buffer.from(JSON.stringify(json));
  const target = new URL(url);
  const request = http.request({
    host: target.hostname,
    port: Number(target.port),
    method: "POST",
    path,
    agent: new http.Agent({ keepAlive: true }),
    headers: { cookie, "content-type": "application/json", "content-length": body.length },
  });
  const response = new Promise<SlowResponse>((resolve, reject) => {
    request.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    request.on("error", reject);
  });
  request.write(body.subarray(0, 8));
  return {
    response,
    finish() {
      request.end(body.subarray(8));
      return response;
    },
  };
}
