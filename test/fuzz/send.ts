/**
 * Sends fuzz requests with node:http, or as raw bytes over a socket when the request is one
 * node's client refuses to write (control characters in a header, unescaped bytes in the path).
 */
import http from 'node:http';
import net from 'node:net';

export interface FuzzRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** what is wrong with it, for the failure report */
  label: string;
}

/** The status, or 0 when the server closed the connection without an answer. */
export type Outcome = { status: number };

const TIMEOUT_MS = 15_000;
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

export function send(base: URL, req: FuzzRequest): Promise<Outcome> {
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let r: http.ClientRequest;
    try {
      r = http.request({ host: base.hostname, port: base.port, method: req.method, path: req.path, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0 }));
      });
    } catch (err) {
      // node's client will not write it: send the same bytes by hand
      if (/^ERR_(INVALID_CHAR|UNESCAPED_CHARACTERS|INVALID_HTTP_TOKEN|HTTP_INVALID_HEADER_VALUE)$/.test((err as { code?: string }).code ?? '')) {
        return sendRaw(base, rawRequest(base, req.method, req.path, headers, body)).then(resolve, reject);
      }
      return reject(err);
    }
    r.setTimeout(TIMEOUT_MS, () => r.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    r.on('error', (err) => {
      // the server may answer and close before reading the whole body (413 with a large one)
      if ((err as { code?: string }).code === 'ECONNRESET' || (err as { code?: string }).code === 'EPIPE') resolve({ status: 0 });
      else reject(new Error(`${req.method} ${req.path.slice(0, 120)} (${req.label}): ${(err as Error).message}`));
    });
    if (body) r.write(body);
    r.end();
  });
}

export function rawRequest(base: URL, method: string, path: string, headers: Record<string, string>, body?: Buffer): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${base.host}`, 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}

/** Writes `bytes` and reads the status line of the answer. */
export function sendRaw(base: URL, bytes: Buffer): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(base.port), base.hostname);
    let seen = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`raw request: no answer within ${TIMEOUT_MS} ms: ${bytes.subarray(0, 80).toString('latin1')}`));
    }, TIMEOUT_MS);
    const done = (status: number) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status });
    };
    socket.on('data', (chunk) => {
      seen += chunk.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(seen);
      if (m) done(Number(m[1]));
      else if (seen.length > 64) done(0);
    });
    socket.on('error', () => done(0));
    socket.on('close', () => done(0));
    socket.write(bytes);
  });
}

/** Runs `requests` a few at a time (the machine is small) and returns each with its outcome. */
export async function sendAll(base: URL, requests: readonly FuzzRequest[], parallel = 6): Promise<Array<FuzzRequest & Outcome>> {
  const out: Array<FuzzRequest & Outcome> = [];
  let i = 0;
  async function worker() {
    while (i < requests.length) {
      const req = requests[i++]!;
      out.push({ ...req, ...(await send(base, req)) });
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}

export function closeAgent(): void {
  agent.destroy();
}
