/**
 * Environment → validated configuration. A bad value stops start-up with a message that
 * names the variable; nothing is guessed.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { redisUrlSchema } from './redis-url.ts';

// The project's root is the nearest folder above this file with a package.json: src/config/ in
// the sources, dist/src/config/ once compiled (npm run build), .test-build/<id>/src/config/ in
// the test suite's compiled copy.
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..', '..');
  }
}
export const REPO_ROOT = projectRoot(path.dirname(fileURLToPath(import.meta.url)));

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const millis = z.coerce.number().int().min(0).max(600000);
const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

/** none, how many proxies stand in front of the service, or their addresses (express's `trust proxy`) */
export type TrustProxy = false | number | string[];
const proxyAddress = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(['loopback', 'linklocal', 'uniquelocal'])]);
const TRUST_PROXY_FORMS = 'give the number of proxies in front of the service (e.g. 1), or their addresses or CIDRs separated by commas (e.g. 10.0.0.0/8,192.0.2.7), or false';
// X-Forwarded-For is believed only as far as the proxies we know: trusting every hop would let a
// client choose the address that per-address limits and the audit trail see
const trustProxy = z.string().transform((raw, ctx): TrustProxy => {
  const v = raw.trim();
  if (v === 'false' || v === 'no' || v === '0') return false;
  if (v === 'true' || v === 'yes') {
    ctx.addIssue({ code: 'custom', message: `"${v}" would trust every X-Forwarded-For hop, so a client could choose its own address; ${TRUST_PROXY_FORMS}` });
    return z.NEVER;
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops <= 10) return hops;
    ctx.addIssue({ code: 'custom', message: `${v} proxies is not plausible; ${TRUST_PROXY_FORMS}` });
    return z.NEVER;
  }
  const items = v.split(',').map((s) => s.trim());
  const bad = items.filter((s) => !proxyAddress.safeParse(s).success);
  if (bad.length) {
    ctx.addIssue({ code: 'custom', message: `not an address or CIDR: ${bad.map((s) => JSON.stringify(s)).join(', ')}; ${TRUST_PROXY_FORMS}` });
    return z.NEVER;
  }
  return items;
});

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  ISSUER: httpUrl.optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default(path.join(REPO_ROOT, 'data')),
  REDIS_URL: redisUrlSchema.optional(),
  KEYS_DIR: z.string().min(1).default(path.join(REPO_ROOT, 'keys')),
  CLIENTS_DIR: z.string().min(1).default(path.join(REPO_ROOT, 'config', 'clients')),
  AUTHORITIES_URL: httpUrl.optional(),
  // one JSON file with every authority's URL and credentials (src/authorities/configure.ts)
  AUTHORITIES_FILE: z.string().min(1).optional(),
  AUTHORITY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30000).default(3000),
  SANDBOX_PORT: port.default(3900),
  DEMO: bool.optional(),
  DEMO_PORTS: z
    .string()
    .regex(/^\d{1,5},\d{1,5}$/, 'two ports separated by a comma, e.g. 3101,3102')
    .default('3101,3102'),
  ALLOW_LOOPBACK_FETCH: bool.default(false),
  TRUST_PROXY: trustProxy.default(false),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(19456).max(1048576).default(19456),
  ARGON2_TIME_COST: z.coerce.number().int().min(2).max(20).default(2),
  ARGON2_PARALLELISM: z.coerce.number().int().min(1).max(8).default(1),
  // hashes one process runs at once (the rest wait their turn); default: its share of the cores, at least 2
  ARGON2_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  // NODE_ENV=test: silent unless asked for
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional(),
  // 0 turns a timeout off (e.g. PG_STATEMENT_TIMEOUT_MS=0 for a long migration)
  PG_CONNECT_TIMEOUT_MS: millis.default(3000),
  PG_STATEMENT_TIMEOUT_MS: millis.default(5000),
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: millis.default(10000),
  PG_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(600000).default(5000),
  // the admin console's session ends after this many seconds without a request
  ADMIN_IDLE_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
  // worker processes (node:cluster); default one per core in production, 1 otherwise
  WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  // how long requests in flight may take to finish once SIGTERM has arrived
  SHUTDOWN_TIMEOUT_MS: millis.default(10000),
  // the Prometheus listener: 9464 unless NODE_ENV=test; 0 turns it off
  METRICS_PORT: port.optional(),
  METRICS_HOST: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')], { message: 'an IP address to listen on (default 127.0.0.1), or localhost' }).default('127.0.0.1'),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  env: Env['NODE_ENV'];
  production: boolean;
  port: number;
  host: string;
  issuer: string;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  keysDir: string;
  clientsDir: string;
  /** base URL of the authorities; the sandbox in development and tests */
  authoritiesUrl?: string;
  /** the authorities' URLs and credentials (required in production) */
  authoritiesFile?: string;
  authorityTimeoutMs: number;
  sandboxPort: number;
  demo: boolean;
  demoPorts: [number, number];
  allowLoopbackFetch: boolean;
  trustProxy: TrustProxy;
  /** argon2id's parameters, and how many hashes one process runs at once */
  argon2: { memoryCost: number; timeCost: number; parallelism: number; concurrency: number };
  logLevel: NonNullable<Env['LOG_LEVEL']>;
  /** PostgreSQL pool: timeouts in milliseconds (0 = none) and its size */
  postgres: { connectTimeoutMs: number; statementTimeoutMs: number; idleInTransactionTimeoutMs: number; poolMax: number };
  /** the longest a Redis command may wait for its reply before the connection is dropped */
  redisCommandTimeoutMs: number;
  /** worker processes; more than 1 needs PostgreSQL and Redis (checked when the service starts) */
  workers: number;
  /** the deadline for requests in flight on SIGTERM */
  shutdownTimeoutMs: number;
  /** the admin console's idle timeout */
  adminIdleSeconds: number;
  /** where Prometheus scrapes /metrics; `undefined` when METRICS_PORT=0 (or NODE_ENV=test without it) */
  metrics?: { host: string; port: number };
  /** the raw environment, for key loading (production keys come from it) */
  rawEnv: Record<string, string | undefined>;
}

export function loadConfig(rawEnv: Record<string, string | undefined> = process.env): Config {
  // empty strings count as unset, as shells often export them that way
  const cleaned = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.ISSUER) throw new ConfigError('invalid environment:\n  ISSUER: required when NODE_ENV=production');
  if (production && !e.AUTHORITIES_URL) {
    throw new ConfigError('invalid environment:\n  AUTHORITIES_URL: required when NODE_ENV=production');
  }
  if (production && e.DEMO) throw new ConfigError('invalid environment:\n  DEMO: the demo cannot run in production');
  const [d1, d2] = e.DEMO_PORTS.split(',').map(Number) as [number, number];
  const workers = e.WORKERS ?? (production ? availableParallelism() : 1);
  return {
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    issuer: e.ISSUER ?? `http://localhost:${e.PORT}`,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    keysDir: e.KEYS_DIR,
    clientsDir: e.CLIENTS_DIR,
    authoritiesUrl: e.AUTHORITIES_URL,
    authoritiesFile: e.AUTHORITIES_FILE,
    authorityTimeoutMs: e.AUTHORITY_TIMEOUT_MS,
    sandboxPort: e.SANDBOX_PORT,
    demo: e.DEMO ?? e.NODE_ENV === 'development',
    demoPorts: [d1, d2],
    allowLoopbackFetch: e.ALLOW_LOOPBACK_FETCH,
    trustProxy: e.TRUST_PROXY,
    argon2: {
      memoryCost: e.ARGON2_MEMORY_KIB,
      timeCost: e.ARGON2_TIME_COST,
      parallelism: e.ARGON2_PARALLELISM,
      // each worker process its share of the cores (more hashes at once than cores only take
      // turns with the event loops that answer every other request), and at least two: a
      // worker's share of the sign-ins comes unevenly, and one at a time would leave a core idle
      concurrency: e.ARGON2_CONCURRENCY ?? Math.max(2, Math.ceil(availableParallelism() / workers)),
    },
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    postgres: {
      connectTimeoutMs: e.PG_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.PG_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: e.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      poolMax: e.PG_POOL_MAX,
    },
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    workers,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    adminIdleSeconds: e.ADMIN_IDLE_SECONDS,
    ...metricsOf(e),
    rawEnv,
  };
}

function metricsOf(e: Env): Pick<Config, 'metrics'> {
  const port = e.METRICS_PORT ?? (e.NODE_ENV === 'test' ? 0 : 9464);
  return port === 0 ? {} : { metrics: { host: e.METRICS_HOST, port } };
}
