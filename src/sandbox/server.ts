/**
 * The sandbox authorities: one HTTP process that plays the outside authorities we cannot reach
 * in development and tests. Each authority is an express Router mounted under `/<name>`;
 * the population registry and the SMS gateway (population-registry.ts, sms-gateway.ts) are
 * mounted here; login methods' own come in `methods` (`providers/sandboxes.ts` lists them and
 * starts this with them: the core never imports a method). `/control` makes any of them misbehave.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MethodSandbox } from '../../providers/kit/index.ts';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { SANDBOX_REGISTRY } from '../authorities/configure.ts';
import { CITIZENS } from './citizens.ts';
import { registryRouter } from './population-registry.ts';
import { smsRouters } from './sms-gateway.ts';
import { indexPage, sendHtml } from './pages.ts';
import { issuePaths } from './issue-paths.ts';

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
  /** the login methods' simulated authorities to mount (providers/sandboxes.ts) */
  methods?: readonly MethodSandbox[];
}

// the key the development service calls the registry with (refused in production)
export const DEFAULT_REGISTRY_APP_KEY = SANDBOX_REGISTRY.appKey;

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
  for (const m of opts.methods ?? []) {
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
  methods?: readonly MethodSandbox[];
}): Promise<RunningSandbox> {
  const sandbox = createSandbox({ publicUrl: opts.publicUrl, registryAppKeys: opts.registryAppKeys, methods: opts.methods });
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
