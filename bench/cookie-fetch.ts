/**
 * fetch with a per-browser cookie jar, for one origin: enough to carry oidc-provider's
 * session and interaction cookies (which are scoped by path) between requests.
 */

interface Cookie {
  name: string;
  value: string;
  path: string;
}

const TIMEOUT_MS = 10_000;

export class CookieJar {
  private readonly cookies = new Map<string, Cookie>();

  /** Reads the Set-Cookie headers of `res`, received for `url`. */
  store(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const a of attrs) {
        const [k = '', v = ''] = a.split('=').map((s) => s.trim());
        const key = k.toLowerCase();
        if (key === 'path' && v.startsWith('/')) path = v;
        else if (key === 'max-age' && Number(v) <= 0) expired = true;
        else if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true;
      }
      const id = `${path}\0${name}`;
      if (expired) this.cookies.delete(id);
      else this.cookies.set(id, { name, value, path });
    }
  }

  header(url: URL): string {
    const p = url.pathname;
    return [...this.cookies.values()]
      .filter((c) => p === c.path || p.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  /** One request, no redirect following, cookies sent and kept. */
  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.header(u);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(u, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    this.store(u, res);
    return res;
  }
}

export interface Page {
  status: number;
  url: string;
  text: string;
  /** set when the chain ended on a redirect away from `origin` */
  leftTo?: string;
}

/** GET `url` and follow redirects while they stay on `origin`, as a browser would. */
export async function open(jar: CookieJar, origin: string, url: string, first?: Response): Promise<Page> {
  let target = new URL(url, origin).href;
  let res = first ?? (await jar.fetch(target));
  for (let hops = 0; hops < 10; hops++) {
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) {
      return { status: res.status, url: target, text: await res.text() };
    }
    await res.body?.cancel();
    target = new URL(location, target).href;
    if (new URL(target).origin !== origin) return { status: res.status, url: target, text: '', leftTo: target };
    res = await jar.fetch(target);
  }
  throw new Error(`too many redirects from ${url}`);
}
