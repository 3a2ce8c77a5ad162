/**
 * The load generator's HTTP client: node:http over a keep-alive agent, reading whole bodies
 * as text. It stands in for browsers and department back ends, which run on other machines in
 * production; fetch costs several times more CPU per request, and on a 2-core machine that CPU
 * is taken from the service under test.
 */
import http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** sent as application/x-www-form-urlencoded */
  form?: URLSearchParams;
}

const TIMEOUT_MS = 10_000;
// enough sockets for every worker of every phase; they stay open between windows
const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 30_000 });

export function request(url: string | URL, o: RequestOptions = {}): Promise<Reply> {
  const u = typeof url === 'string' ? new URL(url) : url;
  const body = o.form ? o.form.toString() : undefined;
  const headers: Record<string, string> = { ...o.headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: u.hostname, port: u.port, path: u.pathname + u.search, method: o.method ?? 'GET', headers, timeout: TIMEOUT_MS },
      (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${TIMEOUT_MS} ms: ${u.pathname}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A JSON answer, or an error naming the status and the start of the body. */
export function json<T>(r: Reply, what: string): T {
  try {
    return JSON.parse(r.text) as T;
  } catch {
    throw new Error(`${what}: ${r.status}, not JSON: ${r.text.slice(0, 120)}`);
  }
}

export function closeAgent(): void {
  agent.destroy();
}
