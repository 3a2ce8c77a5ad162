/**
 * The sandbox authorities: one HTTP process that plays the outside authorities we cannot reach
 * in development and tests. Each authority is an express Router mounted under `/<name>`;
 * the population registry and the SMS gateway live here, login methods add theirs from
 * `providers/<method>/sandbox.ts` through `mount()`. `/control` makes any of them misbehave.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SANDBOXES } from '../../providers/registry.ts';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { parseIdNumber } from '../crypto/id-number.ts';
import { CITIZENS, findCitizenById } from './citizens.ts';

// ---------------------------------------------------------------------------------------------
// Failure control

export const FAILURE_MODES = ['timeout', 'error', 'malformed', 'bad_signature'] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

export interface FailureControl {
  /** The next `count` calls to `authority` misbehave in `mode`; replaces any earlier setting. */
  fail(authority: string, mode: FailureMode, count: number): void;
  /** Consumes one pending failure of `authority`, if any. Authorities call this for `bad_signature`. */
  take(authority: string): FailureMode | null;
  /** The pending failure of `authority` without consuming it. */
  peek(authority: string): FailureMode | null;
  pending(): Record<string, { mode: FailureMode; count: number }>;
  reset(): void;
}

function createFailureControl(): FailureControl {
  const pending = new Map<string, { mode: FailureMode; count: number }>();
  return {
    fail(authority, mode, count) {
      if (count > 0) pending.set(authority, { mode, count });
      else pending.delete(authority);
    },
    take(authority) {
      const p = pending.get(authority);
      if (!p) return null;
      if (--p.count <= 0) pending.delete(authority);
      return p.mode;
    },
    peek(authority) {
      return pending.get(authority)?.mode ?? null;
    },
    pending() {
      return Object.fromEntries([...pending].map(([k, v]) => [k, { ...v }]));
    },
    reset() {
      pending.clear();
    },
  };
}

/** How long a `timeout` failure holds a request: far longer than any connector waits. */
const HOLD_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// The sandbox

export interface MountOptions {
  /**
   * Inspection routes (outboxes, issued test certificates, …) mounted under the same prefix
   * but outside failure control, so tests can still read them while the authority is failing.
   */
  tools?: express.Router;
}

export interface Sandbox {
  readonly app: express.Express;
  /** Adds an authority under `/<name>`; failure control applies to its routes automatically. */
  mount(name: string, router: express.Router, opts?: MountOptions): void;
  readonly control: FailureControl;
  /** Names of the mounted authorities. */
  readonly authorities: readonly string[];
  /** Base URL that authorities put into absolute links and redirects; set by startSandbox when not given. */
  publicUrl: string | undefined;
  /** Drops every request held by a `timeout` failure, so nothing outlives a shutdown. */
  releaseHeld(): void;
}

export interface SandboxOptions {
  publicUrl?: string;
  /** App keys the population registry accepts in `x-app-key`. */
  registryAppKeys?: readonly string[];
}

export const DEFAULT_REGISTRY_APP_KEY = 'sandbox-registry-key';

export function createSandbox(opts: SandboxOptions = {}): Sandbox {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.json({ limit: '16kb' }));

  const control = createFailureControl();
  const names: string[] = [];
  const held = new Set<{ timer: NodeJS.Timeout; res: Response }>();
  // Mounts go into their own router so authorities added after start-up still come before the 404.
  const mounts = express.Router();

  function misbehave(name: string) {
    return (req: Request, res: Response, next: NextFunction): void => {
      const mode = control.peek(name);
      // bad_signature only means something to the authority itself: it calls control.take().
      if (mode === null || mode === 'bad_signature') return next();
      control.take(name);
      if (mode === 'error') {
        res.status(503).json({ code: '5030', message: 'sandbox: service unavailable' });
      } else if (mode === 'malformed') {
        res.status(200).json({ code: '0000', data: 'sandbox: malformed answer' });
      } else {
        const entry = {
          res,
          timer: setTimeout(() => {
            held.delete(entry);
            if (!res.headersSent) res.status(504).json({ code: '5040', message: 'sandbox: held request released' });
          }, HOLD_MS).unref(),
        };
        held.add(entry);
        res.on('close', () => {
          clearTimeout(entry.timer);
          held.delete(entry);
        });
      }
    };
  }

  const sandbox: Sandbox = {
    app,
    control,
    authorities: names,
    publicUrl: opts.publicUrl?.replace(/\/+$/, ''),
    mount(name, router, mountOpts = {}) {
      if (!/^[a-z][a-z0-9-]{0,39}$/.test(name) || name === 'control') {
        throw new Error(`invalid sandbox authority name '${name}'`);
      }
      if (names.includes(name)) throw new Error(`sandbox authority '${name}' is already mounted`);
      names.push(name);
      if (mountOpts.tools) mounts.use(`/${name}`, mountOpts.tools);
      mounts.use(`/${name}`, misbehave(name), router);
    },
    releaseHeld() {
      for (const entry of held) {
        clearTimeout(entry.timer);
        entry.res.socket?.destroy();
      }
      held.clear();
    },
  };

  app.get('/', (_req, res) => {
    sendHtml(res, indexPage(names));
  });
  app.use('/control', controlRouter(control, names));
  app.use(mounts);

  const registryKeys = new Set(opts.registryAppKeys ?? [DEFAULT_REGISTRY_APP_KEY]);
  sandbox.mount('registry', registryRouter(registryKeys));
  const sms = smsRouters();
  sandbox.mount('sms', sms.api, { tools: sms.tools });
  // every login method's own simulated authority (providers/<id>/sandbox.ts)
  const kit = {
    publicUrl: () => sandbox.publicUrl ?? '',
    takeFailure: (authority: string) => control.take(authority),
  };
  for (const m of SANDBOXES) {
    const { router, tools } = m.create(kit);
    sandbox.mount(m.authority, router, { tools });
  }

  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', path: req.path });
  });
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const e = err as { type?: unknown; status?: unknown };
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: 'payload_too_large', message: 'request body over 16 kb' });
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: 'malformed_body', message: 'request body could not be parsed' });
    } else {
      res.status(500).json({ error: 'internal_error' });
    }
  });

  return sandbox;
}

export interface RunningSandbox {
  /** Real base URL, without trailing slash. */
  url: string;
  close(): Promise<void>;
  sandbox: Sandbox;
}

/** Listens on `port` (0 = any free port) at `host` (default 127.0.0.1). */
export async function startSandbox(opts: {
  port: number;
  host?: string;
  publicUrl?: string;
  registryAppKeys?: readonly string[];
}): Promise<RunningSandbox> {
  const sandbox = createSandbox({ publicUrl: opts.publicUrl, registryAppKeys: opts.registryAppKeys });
  const server = createServer(sandbox.app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host =
    addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address === '::' ? '[::1]' : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  sandbox.publicUrl ??= url;

  let closing: Promise<void> | undefined;
  return {
    url,
    sandbox,
    close() {
      closing ??= new Promise<void>((resolve) => {
        sandbox.releaseHeld();
        server.close(() => resolve());
        // Keep-alive and held sockets would otherwise keep close() (and the process) waiting.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// /control

const failBody = z.object({
  authority: z.string().min(1).max(40),
  mode: z.enum(FAILURE_MODES),
  count: z.number().int().min(0).max(10_000),
});

function controlRouter(control: FailureControl, names: readonly string[]): express.Router {
  const r = express.Router();
  r.post('/fail', (req, res) => {
    const parsed = failBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid_request', fields: issuePaths(parsed.error) });
      return;
    }
    const { authority, mode, count } = parsed.data;
    if (!names.includes(authority)) {
      res.status(400).json({ error: 'unknown_authority', authorities: names });
      return;
    }
    control.fail(authority, mode, count);
    res.json({ ok: true, authority, mode, count });
  });
  r.get('/fail', (_req, res) => {
    res.json(control.pending());
  });
  r.post('/reset', (_req, res) => {
    control.reset();
    res.json({ ok: true });
  });
  r.get('/citizens', (_req, res) => {
    res.json(CITIZENS);
  });
  return r;
}

// ---------------------------------------------------------------------------------------------
// /registry — population registry, two-element check (name + ID number)

const verifyBody = z.object({
  appId: z.string().min(1).max(64),
  requestId: z.string().min(1).max(64),
  idNumber: z.string().max(32),
  name: z.string().min(1).max(64),
});

function registryRouter(appKeys: ReadonlySet<string>): express.Router {
  const r = express.Router();
  r.post('/v1/verify', (req, res) => {
    const key = req.get('x-app-key');
    if (key === undefined || !appKeys.has(key)) {
      res.status(401).json({ code: '4010', message: 'invalid app key' });
      return;
    }
    const parsed = verifyBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ code: '4001', message: `invalid or missing field: ${issuePaths(parsed.error).join(', ')}` });
      return;
    }
    const id = parseIdNumber(parsed.data.idNumber);
    if (!id.ok) {
      res.status(400).json({ code: '4001', message: 'invalid field: idNumber' });
      return;
    }
    const found = findCitizenById(id.value.idNumber);
    const result = !found ? 'not_found' : found.name === parsed.data.name.trim() ? 'consistent' : 'inconsistent';
    res.json({ code: '0000', result, requestId: parsed.data.requestId, checkedAt: new Date().toISOString() });
  });
  return r;
}

// ---------------------------------------------------------------------------------------------
// /sms — SMS gateway with a readable outbox

interface SmsMessage {
  messageId: string;
  account: string;
  phone: string;
  text: string;
  sentAt: string;
}

const OUTBOX_LIMIT = 500;

const sendBody = z.object({
  account: z.string().min(1).max(64),
  phone: z.string().regex(/^1[3-9]\d{9}$/),
  text: z.string().min(1).max(500),
});

function smsRouters(): { api: express.Router; tools: express.Router } {
  // Oldest first; pages reverse it. Bounded so a long-running sandbox does not grow without limit.
  const outbox: SmsMessage[] = [];

  const api = express.Router();
  api.post('/v1/send', (req, res) => {
    const parsed = sendBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ code: 'INVALID_PARAM', message: `invalid or missing field: ${issuePaths(parsed.error).join(', ')}` });
      return;
    }
    const message: SmsMessage = { messageId: randomUUID(), ...parsed.data, sentAt: new Date().toISOString() };
    outbox.push(message);
    if (outbox.length > OUTBOX_LIMIT) outbox.splice(0, outbox.length - OUTBOX_LIMIT);
    res.json({ code: 'OK', messageId: message.messageId });
  });

  const tools = express.Router();
  tools.get('/outbox.json', (req, res) => {
    const phone = typeof req.query.phone === 'string' ? req.query.phone : undefined;
    res.json(outbox.filter((m) => phone === undefined || m.phone === phone).reverse());
  });
  tools.get('/outbox', (_req, res) => {
    sendHtml(res, outboxPage([...outbox].reverse()), { refresh: 5 });
  });
  tools.delete('/outbox', (_req, res) => {
    outbox.length = 0;
    res.json({ ok: true });
  });
  return { api, tools };
}

// ---------------------------------------------------------------------------------------------
// Pages

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const shanghaiTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

function sendHtml(res: Response, body: { title: string; main: string }, opts: { refresh?: number } = {}): void {
  res
    .status(200)
    .type('html')
    .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .set('cache-control', 'no-store')
    .send(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${opts.refresh ? `<meta http-equiv="refresh" content="${opts.refresh}">\n` : ''}<title>${esc(body.title)}</title>
<style>
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2rem; line-height: 1.5; color: #1a1a1a; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: .35rem .7rem; text-align: left; vertical-align: top; }
th { background: #f2f4f7; }
td.text { white-space: pre-wrap; max-width: 40rem; }
.en { color: #555; font-size: .9em; }
code { font-size: 1em; }
</style>
</head>
<body>
${body.main}
</body>
</html>
`);
}

function indexPage(authorities: readonly string[]): { title: string; main: string } {
  const rows = CITIZENS.map(
    (c) =>
      `<tr><td>${esc(c.name)}</td><td><code>${esc(c.idNumber)}</code></td><td>${c.gender === 'male' ? '男 <span class="en">M</span>' : '女 <span class="en">F</span>'}</td><td>${esc(c.birthdate)}</td><td>${c.phone ? `<code>${esc(c.phone)}</code>` : '无 <span class="en">none</span>'}</td></tr>`,
  ).join('\n');
  return {
    title: '通办 ID 沙箱 · Tongban ID sandbox',
    main: `<h1>通办 ID 沙箱机构 <span class="en">Tongban ID sandbox authorities</span></h1>
<p>开发与测试用的模拟外部机构，数据均为虚构。<br><span class="en">Simulated outside authorities for development and tests. All data is synthetic.</span></p>
<ul>
<li><a href="/sms/outbox">短信发件箱</a> <span class="en">SMS outbox</span></li>
<li><a href="/control/citizens">虚拟居民（JSON）</a> <span class="en">Synthetic citizens (JSON)</span></li>
</ul>
<p>已挂载的机构 <span class="en">Mounted authorities</span>: ${authorities.map((a) => `<code>/${esc(a)}</code>`).join(' ')}</p>
<h2>虚拟居民 <span class="en">Synthetic citizens</span></h2>
<table>
<thead><tr><th>姓名 <span class="en">Name</span></th><th>身份证号码 <span class="en">ID number</span></th><th>性别 <span class="en">Gender</span></th><th>出生日期 <span class="en">Birth date</span></th><th>手机 <span class="en">Phone</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
  };
}

function outboxPage(messages: readonly SmsMessage[]): { title: string; main: string } {
  const rows = messages
    .map(
      (m) =>
        `<tr><td><code>${esc(m.phone)}</code></td><td>${esc(shanghaiTime.format(new Date(m.sentAt)))}</td><td class="text">${esc(m.text)}</td></tr>`,
    )
    .join('\n');
  return {
    title: '短信发件箱 · SMS outbox',
    main: `<h1>短信发件箱 <span class="en">SMS outbox</span></h1>
<p>最新的在最上面，每 5 秒自动刷新，最多保留 ${OUTBOX_LIMIT} 条。<br><span class="en">Newest first, refreshes every 5 seconds, keeps the last ${OUTBOX_LIMIT} messages.</span></p>
<p><a href="/">返回 <span class="en">Back</span></a></p>
${
  messages.length === 0
    ? '<p>暂无短信。<span class="en">No messages yet.</span></p>'
    : `<table>
<thead><tr><th>手机号 <span class="en">Phone</span></th><th>时间（北京时间） <span class="en">Time (UTC+8)</span></th><th>内容 <span class="en">Text</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}`,
  };
}

function issuePaths(error: z.ZodError): string[] {
  const paths = error.issues.map((i) => (i.path.length ? i.path.join('.') : '(body)'));
  return [...new Set(paths)];
}
