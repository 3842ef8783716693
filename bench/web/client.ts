/** A client that does what the browser does, over HTTP: cookies kept, the development sign-in. */
export class Client {
  private readonly cookies = new Map<string, string>();
  constructor(readonly origin: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  cookieList(): { name: string; value: string }[] {
    return [...this.cookies].map(([name, value]) => ({ name, value }));
  }

  private keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? "";
      const at = pair.indexOf("=");
      if (at > 0) this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  /** Any request with this client's cookies and Origin (what a browser tab adds to a same-origin call). */
  async send(pathname: string, init: { method: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }): Promise<Response> {
    const response = await fetch(`${this.origin}${pathname}`, { ...init, headers: { ...init.headers, cookie: this.cookieHeader(), origin: this.origin }, redirect: "manual" });
    this.keep(response);
    return response;
  }

  async request(pathname: string, init: { method?: string; json?: unknown; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    return this.send(pathname, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
  }

  async signIn(name: string): Promise<void> {
    const { csrfToken } = (await (await this.request("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await this.request("/api/auth/callback/dev", { form: { csrfToken, name, json: "true" } });
    await response.arrayBuffer();
    if (response.status >= 400) throw new Error(`sign-in answered ${response.status}`);
  }
}
