/**
 * Two (or more) instances of the service behind a round-robin proxy, sharing PostgreSQL, Redis,
 * keys and one issuer: what production looks like behind a load balancer. Only possible on
 * PostgreSQL + Redis (the embedded stores are single-process), so callers register their tests
 * with `sharedBackends` as the skip condition.
 */
import { createServer, request, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { createAppContext, type AppContext, type AppOptions } from '../../src/app-context.ts';
import { startSandbox } from '../../providers/sandboxes.ts';
import { createPgDatabase } from '../../src/store/pg-database.ts';
import { testConfig, testHasher, type Stack } from './stack.ts';

/** false on the embedded stores: a reason to skip, printed by the test runner */
export const sharedBackends: string | false =
  process.env.DATABASE_URL && process.env.REDIS_URL ? false : 'needs DATABASE_URL and REDIS_URL (instances share the stores)';

export interface Instances {
  /** the proxy's URL, which is also the issuer */
  issuer: string;
  sandboxUrl: string;
  /** each instance's context; `stacks[i]` looks like a single-instance Stack for helpers such as addClient */
  stacks: Stack[];
  /** the URL of one instance, bypassing the proxy */
  direct(i: number): string;
  close(): Promise<void>;
}

export async function startInstances(n = 2, opts: AppOptions & { env?: Record<string, string> } = {}): Promise<Instances> {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error(String(sharedBackends));
  const sandbox = await startSandbox({ port: 0 });
  const tmp = await mkdtemp(path.join(tmpdir(), 'tongban-instances-'));
  const id = randomBytes(5).toString('hex');
  const schema = `multi_${id}`;
  const prefix = `multi:${id}:`;

  const backends: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    backends.push(s);
    ports.push((s.address() as { port: number }).port);
  }
  // round robin, request by request (keep-alive is off towards the instances)
  let next = 0;
  const proxy = createServer((req, res) => {
    const port = ports[next++ % ports.length]!;
    const up = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, connection: 'close' } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;

  const stacks: Stack[] = [];
  // one after the other: the first runs the migrations and writes the development keys
  for (let i = 0; i < n; i++) {
    const config = testConfig({ issuer, port: ports[i]!, tmp, sandboxUrl: sandbox.url, env: opts.env });
    const ctx: AppContext = await createAppContext(config, { inMemory: true, schema, prefix, weakArgon2: true, ...opts });
    backends[i]!.on('request', ctx.app);
    stacks.push({ issuer, sandboxUrl: sandbox.url, ctx, secrets: testHasher(opts, config), close: async () => undefined });
  }

  return {
    issuer,
    sandboxUrl: sandbox.url,
    stacks,
    direct: (i) => `http://127.0.0.1:${ports[i]}`,
    async close() {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
      for (const s of backends) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
      for (const s of stacks) await s.ctx.close();
      await sandbox.close();
      await rm(tmp, { recursive: true, force: true });
      const admin = await createPgDatabase({ url: databaseUrl, max: 1 });
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => admin.close());
      const r = createClient({ url: redisUrl });
      await r.connect();
      for await (const keys of r.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length) await r.del(keys);
      await r.close();
    },
  };
}

/**
 * A client registered through one instance reaches the others by pub/sub, a moment later: waits
 * until every instance knows `clientIds` (fails after 5 s).
 */
export async function clientsKnown(stacks: Stack[], clientIds: string[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (stacks.every((s) => clientIds.every((id) => s.ctx.clients.find(id)))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`clients ${clientIds.join(', ')} did not reach every instance within 5 s`);
}
