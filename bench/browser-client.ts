/**
 * A browser for one origin, as far as a login needs one: a cookie jar that carries
 * oidc-provider's session and interaction cookies (scoped by path) between requests, and
 * redirects followed while they stay on the origin.
 */
import { request, type Reply, type RequestOptions } from './http-request.ts';

interface Cookie {
  name: string;
  value: string;
  path: string;
}

export class CookieJar {
  private readonly cookies = new Map<string, Cookie>();

  /** Reads the Set-Cookie headers of `res`, received for `url`. */
  store(url: URL, res: Reply): void {
    for (const line of res.headers['set-cookie'] ?? []) {
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
  async request(url: string | URL, o: RequestOptions = {}): Promise<Reply> {
    const u = new URL(url);
    const cookie = this.header(u);
    const res = await request(u, cookie ? { ...o, headers: { ...o.headers, cookie } } : o);
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
export async function open(jar: CookieJar, origin: string, url: string, first?: Reply): Promise<Page> {
  let target = new URL(url, origin).href;
  let res = first ?? (await jar.request(target));
  for (let hops = 0; hops < 10; hops++) {
    const location = res.headers.location;
    if (res.status < 300 || res.status >= 400 || !location) return { status: res.status, url: target, text: res.text };
    target = new URL(location, target).href;
    if (new URL(target).origin !== origin) return { status: res.status, url: target, text: '', leftTo: target };
    res = await jar.request(target);
  }
  throw new Error(`too many redirects from ${url}`);
}
