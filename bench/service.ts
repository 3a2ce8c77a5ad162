/**
 * Our service as production runs it (argon2id at the production settings), on PostgreSQL +
 * Redis when DATABASE_URL / REDIS_URL are set (or the URLs given), else on PGlite + the
 * in-process store, in its own key prefix and either a fresh schema dropped on close or a kept
 * one with its keys (the seeded city). Persons are enrolled directly, sharing one password hash.
 */
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config/env.ts';
import { createAppContext, type AppContext, type AppOptions } from '../src/app-context.ts';
import { startSandbox } from '../providers/sandboxes.ts';
import { createSecretHasher } from '../src/crypto/password.ts';
import { makeIdNumber } from '../src/crypto/id-number.ts';
import { generateClientSecret } from '../src/crypto/client-secret.ts';
import { DEFAULT_SCOPES, type RateScope } from '../src/policy/rate-limit.ts';
import { deletePrefix, dropSchema } from './store-cleanup.ts';

export const PASSWORD = 'Bench2026spring';
export const METHOD = 'id-card-password';

export interface BenchClient {
  clientId: string;
  secret: string;
  /** never contacted: the flow stops at the redirect and reads the code from it */
  redirectUri: string;
}

export interface ServiceOptions {
  /** enrolled one by one through the identity service (small sets) */
  persons?: number;
  /** default: DATABASE_URL / REDIS_URL */
  databaseUrl?: string;
  redisUrl?: string;
  /** a schema kept after close, with keys kept in `keysDir` (its blind indexes depend on them) */
  kept?: { schema: string; keysDir: string };
  /** replaces rate-limit scopes; by default only the per-address one is raised (IP_SCOPE) */
  rateScopes?: Record<string, RateScope>;
}

export interface Service {
  issuer: string;
  sandboxUrl: string;
  ctx: AppContext;
  backend: string;
  client: BenchClient;
  idNumbers: string[];
  /** the argon2id hash (production settings) of PASSWORD every enrolled person has */
  secretHash: string;
  /** what another process needs to serve the same service (see workers/) */
  setup: ServiceSetup;
  /** how the per-address limit was changed for the run */
  ipScope: RateScope;
  close(): Promise<void>;
}

/** Where a bench service keeps its state: enough for another process to serve the same one. */
export interface ServiceSetup {
  databaseUrl?: string;
  redisUrl?: string;
  keysDir: string;
  clientsDir: string;
  authoritiesUrl: string;
  schema?: string;
  prefix: string;
}

export function benchConfig(s: ServiceSetup, port: number) {
  return loadConfig({
    NODE_ENV: 'test',
    ISSUER: `http://127.0.0.1:${port}`,
    PORT: String(port),
    DATABASE_URL: s.databaseUrl,
    REDIS_URL: s.redisUrl,
    KEYS_DIR: s.keysDir,
    CLIENTS_DIR: s.clientsDir,
    AUTHORITIES_URL: s.authoritiesUrl,
    LOG_LEVEL: 'warn',
  });
}

export function benchAppOptions(s: ServiceSetup, rateScopes?: Record<string, RateScope>): AppOptions {
  return { inMemory: true, schema: s.schema, prefix: s.prefix, rateScopes: rateScopes ?? { ...DEFAULT_SCOPES, ip: IP_SCOPE } };
}

// Every request comes from 127.0.0.1; the per-address limit would otherwise count us as one
// abusive client. The per-ID scope stays at its production value.
const IP_SCOPE: RateScope = { threshold: 1_000_000, windowSeconds: 900, baseSeconds: 1, maxSeconds: 1 };

export async function startService(o: ServiceOptions = {}): Promise<Service> {
  const persons = o.persons ?? 0;
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch((err: unknown) => console.error('cleanup:', err));
  };
  try {
    const sandbox = await startSandbox({ port: 0 });
    closers.push(() => sandbox.close());
    const tmp = await mkdtemp(path.join(tmpdir(), 'tongban-bench-'));
    closers.push(() => rm(tmp, { recursive: true, force: true }));

    const server = createServer();
    // longer than any pause between windows, so the load generator never reuses a socket the server is closing
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    let serverClosed: Promise<unknown> | undefined;
    const closeServer = () => {
      server.closeAllConnections();
      return (serverClosed ??= new Promise((r) => server.close(r)));
    };
    closers.push(closeServer);
    const port = (server.address() as { port: number }).port;
    const issuer = `http://127.0.0.1:${port}`;

    const id = randomBytes(5).toString('hex');
    const databaseUrl = o.databaseUrl ?? (process.env.DATABASE_URL || undefined);
    const redisUrl = o.redisUrl ?? (process.env.REDIS_URL || undefined);
    if (o.kept && !databaseUrl) throw new Error('a kept schema needs PostgreSQL (DATABASE_URL)');
    const schema = o.kept?.schema ?? (databaseUrl ? `bench_${id}` : undefined);
    const prefix = `bench:${id}:`;
    if (schema && databaseUrl && !o.kept) closers.push(() => dropSchema(databaseUrl, schema));
    if (redisUrl) closers.push(() => deletePrefix(redisUrl, prefix));

    const setup: ServiceSetup = {
      databaseUrl,
      redisUrl,
      keysDir: o.kept?.keysDir ?? path.join(tmp, 'keys'),
      clientsDir: path.join(tmp, 'clients'),
      authoritiesUrl: sandbox.url,
      schema,
      prefix,
    };
    const ctx = await createAppContext(benchConfig(setup, port), benchAppOptions(setup, o.rateScopes));
    closers.push(() => ctx.close());
    // and again, so that on close the server stops before the context it serves
    closers.push(closeServer);
    server.on('request', ctx.app);

    const client: BenchClient = { clientId: 'bench-app', secret: generateClientSecret(), redirectUri: 'http://127.0.0.1:9/callback' };
    await ctx.register(
      {
        client_id: client.clientId,
        client_name: 'Bench app',
        client_secret: client.secret,
        redirect_uris: [client.redirectUri],
        grant_types: ['authorization_code', 'client_credentials'],
        scope: 'openid profile',
        tongban_first_party: true,
      },
      'bench',
    );

    // one hash for everybody keeps set-up to a fraction of a second of argon2 work
    const secretHash = await createSecretHasher().hash(PASSWORD);
    const idNumbers: string[] = [];
    for (let i = 0; i < persons; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const idNumber = makeIdNumber('310101', `1980-01-${day}`, 100 + Math.floor(i / 28));
      await ctx.identity.enrol(idNumber, {
        name: `测试${i}`,
        proofing: 'remote',
        credentials: [{ method: METHOD, identifier: idNumber, secretHash }],
      });
      idNumbers.push(idNumber);
    }

    const backend = `${ctx.db.kind === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'} + ${ctx.store.kind === 'redis' ? 'Redis' : 'in-process store'}`;
    return { issuer, sandboxUrl: sandbox.url, ctx, backend, client, idNumbers, secretHash, ipScope: IP_SCOPE, setup, close };
  } catch (err) {
    await close();
    throw err;
  }
}
