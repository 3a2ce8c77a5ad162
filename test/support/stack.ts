/**
 * A whole running service for end-to-end tests: sandbox authorities, the provider on a real
 * port, on PGlite + in-process store, or PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set
 * (each test process in its own schema and key prefix).
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { loadConfig } from '../../src/config/env.ts';
import { createAppContext, type AppContext, type AppOptions } from '../../src/app-context.ts';
import { startSandbox } from '../../providers/sandboxes.ts';
import { createPgDatabase } from '../../src/store/pg-database.ts';
import { createSecretHasher, type ConfiguredSecretHasher } from '../../src/crypto/password.ts';
import { pgliteImage } from './pglite-image.ts';

export interface Stack {
  issuer: string;
  sandboxUrl: string;
  ctx: AppContext;
  /** hashes at the strength this service runs with, for tests that enrol people directly */
  secrets: ConfiguredSecretHasher;
  close(): Promise<void>;
}

/** The configuration every test instance runs with: loopback callbacks allowed, short authority timeouts. */
export function testConfig(o: { issuer: string; port: number; tmp: string; sandboxUrl: string; env?: Record<string, string> }) {
  return loadConfig({
    NODE_ENV: 'test',
    ISSUER: o.issuer,
    PORT: String(o.port),
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    KEYS_DIR: path.join(o.tmp, 'keys'),
    CLIENTS_DIR: path.join(o.tmp, 'clients'),
    AUTHORITIES_URL: o.sandboxUrl,
    AUTHORITY_TIMEOUT_MS: '800',
    ALLOW_LOOPBACK_FETCH: 'true',
    ...o.env,
  });
}

/**
 * Tests run with argon2 far below production strength (hashing is most of a password test's
 * time otherwise); tests whose subject is timing ask for `weakArgon2: false`.
 */
export const testHasher = (opts: AppOptions, config: { argon2: { memoryCost: number; timeCost: number; parallelism: number } }) =>
  createSecretHasher(opts.weakArgon2 === false ? config.argon2 : { memoryCost: 1024, timeCost: 1, parallelism: 1, allowWeak: true });

export async function startStack(opts: AppOptions & { env?: Record<string, string> } = {}): Promise<Stack> {
  const sandbox = await startSandbox({ port: 0 });
  const tmp = await mkdtemp(path.join(tmpdir(), 'tongban-test-'));
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const issuer = `http://127.0.0.1:${port}`;
  const id = randomBytes(5).toString('hex');
  const schema = process.env.DATABASE_URL ? `e2e_${id}` : undefined;
  const prefix = `e2e:${id}:`;

  const config = testConfig({ issuer, port, tmp, sandboxUrl: sandbox.url, env: opts.env });
  // embedded: start from a migrated copy rather than a new cluster migrated anew (see pglite-image.ts)
  const image = config.databaseUrl ? undefined : await pgliteImage('migrated');
  const ctx = await createAppContext(config, { inMemory: true, schema, prefix, weakArgon2: true, pgliteImage: image, ...opts });
  server.on('request', ctx.app);

  return {
    issuer,
    sandboxUrl: sandbox.url,
    ctx,
    secrets: testHasher(opts, config),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await ctx.close();
      await sandbox.close();
      await rm(tmp, { recursive: true, force: true });
      if (schema && process.env.DATABASE_URL) {
        const admin = await createPgDatabase({ url: process.env.DATABASE_URL, max: 1 });
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => admin.close());
      }
      if (process.env.REDIS_URL) {
        const r = createClient({ url: process.env.REDIS_URL });
        await r.connect();
        for await (const keys of r.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length) await r.del(keys);
        await r.close();
      }
    },
  };
}
