// A tiny HTTP "browser" for API-level end-to-end tests: keeps cookies per origin, never follows redirects (tests
// look at every hop), and can read a form's hidden fields.
export class Browser {
  private jar = new Map<string, Map<string, string>>();

  /** Headers sent with every request: the device this browser pretends to be (user agent, client hints, address). */
  identity: Record<string, string> = {};

  constructor(private readonly basicAuth?: { user: string; password: string }) {}

  async request(
    url: string,
    init: {
      method?: string;
      form?: Record<string, string>;
      json?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) {
    const u = new URL(url);
    const headers: Record<string, string> = {
      accept: 'text/html,application/json',
      ...this.identity,
      ...init.headers,
    };
    const cookies = this.jar.get(u.origin);
    if (cookies?.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.basicAuth)
      headers.authorization = `Basic ${Buffer.from(`${this.basicAuth.user}:${this.basicAuth.password}`).toString('base64')}`;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(u, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...rest] = pair!.split('=');
      if (!this.jar.has(u.origin)) this.jar.set(u.origin, new Map());
      this.jar.get(u.origin)!.set(name!.trim(), rest.join('='));
    }
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      json: () => JSON.parse(text) as any,
      location: res.headers.get('location'),
    };
  }

  get = (url: string, headers?: Record<string, string>) =>
    this.request(url, { ...(headers ? { headers } : {}) });
}

export function hiddenField(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no hidden field ${name} in page`);
  return m[1]!.replace(/&amp;/g, '&');
}

export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  { timeoutMs = 15_000, intervalMs = 100 } = {},
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
