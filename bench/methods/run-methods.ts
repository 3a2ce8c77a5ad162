/**
 * Login methods, end to end through the real pages, against one running service started the
 * way the tests start it (sandbox authorities + provider on random ports; PostgreSQL + Redis
 * when DATABASE_URL / REDIS_URL are set, else PGlite + the in-process store):
 *
 *  1. each enabled method that has a test driver (test/providers/<id>/driver.ts): the time of a
 *     complete login, from the authorization request (PKCE) through the method's pages to the
 *     token response, N times after 2 warm-ups, each with a fresh browser;
 *  2. sms-otp logins per second: concurrent complete logins for a fixed time, one phone per
 *     worker, the code read from the sandbox SMS outbox.
 *
 * Prints a table and one JSON line; exits non-zero when a method had more than 10 % errors.
 *
 *   node --import tsx bench/methods/run-methods.ts [--iterations 20] [--sms-seconds 10]
 *
 * Rate limits are raised for the run (see BENCH_SCOPES): hundreds of logins of the same few
 * citizens from 127.0.0.1 would otherwise hit the per-identifier and per-address back-off and
 * the daily SMS caps, and the figures would measure the limiter's refusals.
 */
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { DEFAULT_SCOPES, type RateScope } from '../../src/policy/rate-limit.ts';
import { CITIZENS, citizen } from '../../src/sandbox/citizens.ts';
import { startStack, type Stack } from '../../test/support/stack.ts';
import { addClient, basic, type TestClient } from '../../test/support/clients.ts';
import { authUrl, Browser } from '../../test/support/browser.ts';
import { signIn, type Page, type SignInDriver as MethodDriver } from '../../test/providers/contract/driver.ts';
import { bindPhone, latestCode } from '../../test/providers/sms-otp/steps.ts';

export interface MethodBenchResult {
  /** the login method id */
  method: string;
  /** 'sequential': one login at a time (latency); 'concurrent': the sms-otp throughput run */
  kind: 'sequential' | 'concurrent';
  /** the method's configured level of assurance; null when it is not enabled */
  level: number | null;
  /** timed logins that ended in a token response */
  n: number;
  /** timed logins that did not (or 1 for a method whose driver could not be loaded or prepared) */
  errors: number;
  /** errors / (n + errors); 0 when nothing was attempted */
  errorRate: number;
  medianMs: number | null;
  /** nearest-rank 99th percentile; with n < 100 this is the slowest login */
  p99Ms: number | null;
  p99IsMax: boolean;
  minMs: number | null;
  meanMs: number | null;
  /** the first error seen, and how many times each distinct message occurred */
  firstError?: string;
  errorCounts?: Record<string, number>;
  /** why the method was skipped or cut short */
  note?: string;
  /** concurrent run only */
  concurrency?: number;
  phones?: number;
  seconds?: number;
  loginsPerSecond?: number;
}

export interface BenchMethodsOptions {
  /** timed logins per method (default 20) */
  iterations?: number;
  /** length of the concurrent sms-otp run in seconds (default 10; 0 skips it) */
  smsSeconds?: number;
  /** untimed logins per method before timing (default 2) */
  warmup?: number;
  /** concurrent sms-otp logins in flight (default 8) */
  smsConcurrency?: number;
  /** time for phase 1 as a whole, shared among the methods, in seconds (default 140) */
  methodsBudgetSeconds?: number;
  /** only these method ids (default: every enabled method with a driver) */
  only?: readonly string[];
  /** where progress and set-up lines go (default: stderr) */
  log?: (line: string) => void;
}

const LOGIN_TIMEOUT_MS = 20_000;
const PREPARE_TIMEOUT_MS = 30_000;
/** a method failing this many times in a row is not tried further */
const MAX_CONSECUTIVE_ERRORS = 5;
const MAX_ERROR_RATE = 0.1;
const HIGH = 1_000_000;

/** Every default scope with its threshold out of reach; windows and back-off lengths unchanged. */
export const BENCH_SCOPES: Record<string, RateScope> = Object.fromEntries(
  Object.entries(DEFAULT_SCOPES).map(([name, s]) => [name, { ...s, threshold: HIGH }]),
);

// ---------------------------------------------------------------------------------------------
// statistics

function summarise(samples: readonly number[]): Pick<MethodBenchResult, 'medianMs' | 'p99Ms' | 'p99IsMax' | 'minMs' | 'meanMs'> {
  if (samples.length === 0) return { medianMs: null, p99Ms: null, p99IsMax: false, minMs: null, meanMs: null };
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const rank = Math.min(s.length, Math.max(1, Math.ceil(0.99 * s.length)));
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    medianMs: round(median),
    p99Ms: round(s[rank - 1]!),
    p99IsMax: rank === s.length,
    minMs: round(s[0]!),
    meanMs: round(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

class Errors {
  readonly counts = new Map<string, number>();
  first: string | undefined;
  total = 0;
  add(err: unknown): void {
    const msg = describe(err);
    this.first ??= msg;
    this.total++;
    // numbers (ports, ids, timings) would make every message distinct
    const key = msg.replace(/\d+/g, '#').slice(0, 160);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  fields(): Pick<MethodBenchResult, 'firstError' | 'errorCounts'> {
    return this.total ? { firstError: this.first, errorCounts: Object.fromEntries(this.counts) } : {};
  }
}

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s+/g, ' ').trim().slice(0, 300);
}

const errorRate = (n: number, errors: number) => (n + errors === 0 ? 0 : errors / (n + errors));

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// one complete login

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What an error page says, short: its text without markup. */
function pageGist(p: Page): string {
  const text = p.text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `status ${p.status} at ${p.path}: ${text.slice(0, 160)}`;
}

/**
 * Authorization request with PKCE, the chooser, the method's pages (the driver), the redirect
 * back to the client, and POST /token with the code and verifier. Throws unless the token
 * response is a 200 with an ID token.
 */
async function completeLogin(stack: Stack, client: TestClient, d: MethodDriver): Promise<void> {
  const browser = new Browser(stack.issuer);
  const req = authUrl(client.clientId, client.redirectUri);
  const chooser = await browser.open(req.url);
  const link = chooser.text.match(new RegExp(`href="(/interaction/[^"]+/method/${escapeRe(d.method)})"`));
  if (!link) throw new Error(`the chooser does not offer ${d.method} (${pageGist(chooser)})`);
  const done = await signIn(d, { stack, browser }, await browser.open(link[1]!));
  if (!done.location) throw new Error(`no redirect to the client (${pageGist(done)})`);
  const back = new URL(done.location);
  const error = back.searchParams.get('error');
  if (error) throw new Error(`authorization error ${error}: ${back.searchParams.get('error_description') ?? ''}`);
  if (back.searchParams.get('state') !== req.state) throw new Error('state mismatch on the redirect');
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code on the redirect ${done.location.slice(0, 120)}`);
  const res = await fetch(`${stack.issuer}/token`, {
    method: 'POST',
    headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: req.verifier }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${body.slice(0, 160)}`);
  const idToken = (JSON.parse(body) as { id_token?: unknown }).id_token;
  if (typeof idToken !== 'string') throw new Error('token response without an id_token');
  const acr = String(decodeJwt(idToken).acr ?? '');
  if (!acr.startsWith('urn:tongban:loa:')) throw new Error(`unexpected acr ${acr}`);
}

// ---------------------------------------------------------------------------------------------
// drivers

const DRIVERS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/providers');

/** Every test/providers/<id>/driver.ts, as the contract test finds them; a load failure is kept by folder. */
async function loadDrivers(): Promise<Array<{ dir: string; driver?: MethodDriver; error?: string }>> {
  const out: Array<{ dir: string; driver?: MethodDriver; error?: string }> = [];
  for (const dir of (await readdir(DRIVERS_DIR)).sort()) {
    const file = path.join(DRIVERS_DIR, dir, 'driver.ts');
    if (dir === 'contract' || !existsSync(file)) continue;
    try {
      const mod = (await import(pathToFileURL(file).href)) as { driver?: MethodDriver };
      if (!mod.driver) throw new Error(`${path.relative(process.cwd(), file)} exports no driver`);
      out.push({ dir, driver: mod.driver });
    } catch (err) {
      out.push({ dir, error: describe(err) });
    }
  }
  return out;
}

/**
 * The sms-otp driver signs in one fixed citizen. For concurrent logins every worker needs its
 * own phone (the code is read back as "the newest text to this number"), so this does the
 * driver's two steps (phone, then the texted code) for citizen `key`.
 */
function smsDriverFor(key: string): MethodDriver {
  const phone = citizen(key).phone;
  if (!phone) throw new Error(`${key} has no phone`);
  return {
    method: 'sms-otp',
    authority: 'sms',
    citizen: key,
    prepare: ({ stack }) => bindPhone(stack, key),
    begin: ({ browser }, first) => browser.submit(first.text, /method\/sms-otp/, { phone }),
    finish: async ({ stack, browser }, at) => (at.status !== 200 ? at : browser.submit(at.text, /method\/sms-otp/, { code: await latestCode(stack, phone) })),
  };
}

// ---------------------------------------------------------------------------------------------
// phase 1: latency per method

async function timeMethod(
  stack: Stack,
  client: TestClient,
  d: MethodDriver,
  o: { iterations: number; warmup: number; deadline: number; log: (line: string) => void },
): Promise<MethodBenchResult> {
  const level = stack.ctx.methods.get(d.method)?.level ?? null;
  const base = { method: d.method, kind: 'sequential' as const, level };
  try {
    await withTimeout(d.prepare({ stack, browser: new Browser(stack.issuer) }), PREPARE_TIMEOUT_MS, `${d.method}: prepare`);
  } catch (err) {
    const e = new Errors();
    e.add(err);
    return { ...base, n: 0, errors: 1, errorRate: 1, ...summarise([]), ...e.fields(), note: 'driver.prepare failed' };
  }

  const once = () => withTimeout(completeLogin(stack, client, d), LOGIN_TIMEOUT_MS, `${d.method}: login`);
  const warmupErrors = new Errors();
  for (let i = 0; i < o.warmup && Date.now() < o.deadline; i++) await once().catch((err: unknown) => warmupErrors.add(err));

  const samples: number[] = [];
  const errors = new Errors();
  let streak = 0;
  let note: string | undefined;
  for (let i = 0; i < o.iterations; i++) {
    if (Date.now() >= o.deadline) {
      note = `time budget reached after ${i} of ${o.iterations}`;
      break;
    }
    if (streak >= MAX_CONSECUTIVE_ERRORS) {
      note = `stopped after ${streak} errors in a row`;
      break;
    }
    const t0 = performance.now();
    try {
      await once();
      samples.push(performance.now() - t0);
      streak = 0;
    } catch (err) {
      errors.add(err);
      streak++;
    }
  }
  if (warmupErrors.total) note = [note, `${warmupErrors.total} warm-up error(s): ${warmupErrors.first}`].filter(Boolean).join('; ');
  const s = summarise(samples);
  o.log(
    `  ${d.method}: median ${s.medianMs ?? '-'} ms, max ${s.p99Ms ?? '-'} ms, n ${samples.length}, errors ${errors.total}` +
      (errors.first ? ` (${errors.first})` : ''),
  );
  return { ...base, n: samples.length, errors: errors.total, errorRate: errorRate(samples.length, errors.total), ...s, ...errors.fields(), ...(note ? { note } : {}) };
}

// ---------------------------------------------------------------------------------------------
// phase 2: sms-otp logins per second

async function smsThroughput(
  stack: Stack,
  client: TestClient,
  o: { seconds: number; concurrency: number; avoid: ReadonlySet<string>; log: (line: string) => void },
): Promise<MethodBenchResult> {
  const level = stack.ctx.methods.get('sms-otp')?.level ?? null;
  // citizens no other driver signs in come first, so this run starts from people with one credential
  const withPhone = CITIZENS.filter((c) => c.phone !== null);
  const keys = [...withPhone.filter((c) => !o.avoid.has(c.key)), ...withPhone.filter((c) => o.avoid.has(c.key))]
    .slice(0, o.concurrency)
    .map((c) => c.key);
  const drivers = keys.map(smsDriverFor);
  const base = { method: 'sms-otp', kind: 'concurrent' as const, level, concurrency: o.concurrency, phones: keys.length };

  const setup = new Errors();
  for (const d of drivers) {
    await withTimeout(d.prepare({ stack, browser: new Browser(stack.issuer) }), PREPARE_TIMEOUT_MS, `sms-otp: bind ${d.citizen}`).catch((err: unknown) => setup.add(err));
  }
  if (setup.total) {
    return { ...base, n: 0, errors: 1, errorRate: 1, ...summarise([]), ...setup.fields(), note: 'binding phones failed' };
  }

  // Workers sharing a phone (only when concurrency > citizens with phones) take turns on it.
  const turns = new Map<string, Promise<unknown>>();
  const onPhone = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (turns.get(key) ?? Promise.resolve()).then(work, work);
    turns.set(key, run.catch(() => undefined));
    return run;
  };
  const login = (d: MethodDriver) =>
    onPhone(d.citizen, () => withTimeout(completeLogin(stack, client, d), LOGIN_TIMEOUT_MS, `sms-otp (${d.citizen}): login`));

  // one untimed login per worker: warm-up, and a check that every phone works
  const warm = new Errors();
  await Promise.all(Array.from({ length: o.concurrency }, (_, w) => login(drivers[w % drivers.length]!).catch((err: unknown) => warm.add(err))));

  const samples: number[] = [];
  const errors = new Errors();
  const start = performance.now();
  const stopAt = start + o.seconds * 1000;
  await Promise.all(
    Array.from({ length: o.concurrency }, async (_, w) => {
      const d = drivers[w % drivers.length]!;
      // bounded: at most one login started per worker per millisecond of the window
      for (let i = 0; i < o.seconds * 1000 && performance.now() < stopAt; i++) {
        const t0 = performance.now();
        try {
          await login(d);
          samples.push(performance.now() - t0);
        } catch (err) {
          errors.add(err);
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const s = summarise(samples);
  const perSecond = Math.round((samples.length / seconds) * 10) / 10;
  o.log(
    `  sms-otp x${o.concurrency} on ${keys.length} phones: ${perSecond} logins/s over ${seconds.toFixed(1)} s, ` +
      `p50 ${s.medianMs ?? '-'} ms, p99 ${s.p99Ms ?? '-'} ms, errors ${errors.total}` +
      (errors.first ? ` (${errors.first})` : ''),
  );
  return {
    ...base,
    n: samples.length,
    errors: errors.total,
    errorRate: errorRate(samples.length, errors.total),
    ...s,
    ...errors.fields(),
    seconds: Math.round(seconds * 100) / 100,
    loginsPerSecond: perSecond,
    ...(warm.total ? { note: `${warm.total} warm-up error(s): ${warm.first}` } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// the run

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Which stores startStack() picks, from the same variables it reads. */
export function backendDescription(): { database: string; store: string } {
  const db = process.env.DATABASE_URL;
  const redis = process.env.REDIS_URL;
  return {
    database: db ? `PostgreSQL ${redact(db)} (own schema, dropped afterwards)` : 'PGlite in memory (embedded)',
    store: redis ? `Redis ${redact(redis)} (own key prefix, removed afterwards)` : 'in-process memory store (embedded)',
  };
}

export async function benchMethods(opts: BenchMethodsOptions = {}): Promise<MethodBenchResult[]> {
  const iterations = Math.max(1, Math.floor(opts.iterations ?? 20));
  const warmup = Math.max(0, Math.floor(opts.warmup ?? 2));
  const smsSeconds = Math.max(0, opts.smsSeconds ?? 10);
  const smsConcurrency = Math.max(1, Math.floor(opts.smsConcurrency ?? 8));
  const budgetMs = Math.max(1, opts.methodsBudgetSeconds ?? 140) * 1000;
  const log = opts.log ?? ((line: string) => console.error(line));

  const backend = backendDescription();
  log(`database: ${backend.database}`);
  log(`ephemeral store: ${backend.store}`);
  log(
    `rate limits raised for the benchmark (thresholds; windows and back-off unchanged): ` +
      Object.entries(DEFAULT_SCOPES)
        .map(([k, s]) => `${k} ${s.threshold} -> ${BENCH_SCOPES[k]!.threshold}`)
        .join(', '),
  );

  const loaded = await loadDrivers();
  const stack = await startStack({ rateScopes: BENCH_SCOPES });
  let client: TestClient | undefined;
  const results: MethodBenchResult[] = [];
  try {
    client = await addClient(stack, 'bench-methods-rp', { tongban_first_party: true });
    const enabled = [...stack.ctx.methods.keys()];
    log(`service at ${stack.issuer}, sandbox at ${stack.sandboxUrl}; enabled methods: ${enabled.join(', ')}`);

    const usable: MethodDriver[] = [];
    for (const l of loaded) {
      if (opts.only && !opts.only.includes(l.driver?.method ?? l.dir)) continue;
      if (!l.driver) {
        results.push({ method: l.dir, kind: 'sequential', level: stack.ctx.methods.get(l.dir)?.level ?? null, n: 0, errors: 1, errorRate: 1, ...summarise([]), firstError: l.error, note: 'driver failed to load' });
      } else if (!stack.ctx.methods.has(l.driver.method)) {
        results.push({ method: l.driver.method, kind: 'sequential', level: null, n: 0, errors: 0, errorRate: 0, ...summarise([]), note: 'not enabled: skipped' });
      } else {
        usable.push(l.driver);
      }
    }
    const withDriver = new Set(loaded.flatMap((l) => (l.driver ? [l.driver.method] : [])));
    const noDriver = enabled.filter((id) => !withDriver.has(id) && (!opts.only || opts.only.includes(id)));

    log(`phase 1: ${usable.length} methods, ${warmup} warm-up + ${iterations} timed logins each, one at a time, fresh browser each`);
    const phaseEnd = Date.now() + budgetMs;
    for (const [i, d] of usable.entries()) {
      // an even share of what is left, so a slow method cannot starve the ones after it
      const deadline = Date.now() + Math.max(3000, (phaseEnd - Date.now()) / (usable.length - i));
      try {
        results.push(await timeMethod(stack, client, d, { iterations, warmup, deadline, log }));
      } catch (err) {
        // timeMethod catches per login; this is for anything else a driver does
        const e = new Errors();
        e.add(err);
        results.push({ method: d.method, kind: 'sequential', level: stack.ctx.methods.get(d.method)?.level ?? null, n: 0, errors: 1, errorRate: 1, ...summarise([]), ...e.fields(), note: 'benchmark of this method failed' });
      }
    }
    for (const id of noDriver) {
      results.push({ method: id, kind: 'sequential', level: stack.ctx.methods.get(id)?.level ?? null, n: 0, errors: 0, errorRate: 0, ...summarise([]), note: 'enabled, but no test driver: not measured' });
    }

    if (smsSeconds > 0 && (!opts.only || opts.only.includes('sms-otp'))) {
      if (!stack.ctx.methods.has('sms-otp')) {
        log('phase 2: sms-otp is not enabled: skipped');
      } else {
        log(`phase 2: sms-otp, ${smsConcurrency} logins in flight for ${smsSeconds} s`);
        const avoid = new Set(loaded.flatMap((l) => (l.driver ? [l.driver.citizen] : [])));
        try {
          results.push(await smsThroughput(stack, client, { seconds: smsSeconds, concurrency: smsConcurrency, avoid, log }));
        } catch (err) {
          const e = new Errors();
          e.add(err);
          results.push({ method: 'sms-otp', kind: 'concurrent', level: stack.ctx.methods.get('sms-otp')?.level ?? null, n: 0, errors: 1, errorRate: 1, ...summarise([]), ...e.fields(), concurrency: smsConcurrency, note: 'throughput run failed' });
        }
      }
    }
  } finally {
    await client?.rp.close().catch(() => undefined);
    await stack.close().catch((err: unknown) => log(`closing the stack: ${describe(err)}`));
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// report

export function methodsTable(results: readonly MethodBenchResult[]): string {
  const fmt = (x: number | null) => (x === null ? '-' : x.toFixed(1));
  const head = ['method', 'level', 'median ms', 'p99 ms', 'n', 'errors', 'note'];
  const rows = results.map((r) => [
    r.kind === 'concurrent' ? `${r.method} x${r.concurrency} concurrent` : r.method,
    r.level === null ? '-' : String(r.level),
    fmt(r.medianMs),
    r.p99Ms === null ? '-' : `${fmt(r.p99Ms)}${r.p99IsMax ? ' (max)' : ''}`,
    String(r.n),
    r.errors ? `${r.errors} (${Math.round(r.errorRate * 100)} %)` : '0',
    [
      r.kind === 'concurrent' && r.loginsPerSecond !== undefined ? `${r.loginsPerSecond} logins/s over ${r.seconds} s on ${r.phones} phones` : '',
      r.note ?? '',
      r.firstError ? `first error: ${r.firstError.slice(0, 100)}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : i >= 1 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function failingMethods(results: readonly MethodBenchResult[]): MethodBenchResult[] {
  return results.filter((r) => r.errorRate > MAX_ERROR_RATE);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      iterations: { type: 'string' },
      'sms-seconds': { type: 'string' },
      concurrency: { type: 'string' },
      only: { type: 'string' },
    },
  });
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const iterations = num(values.iterations) ?? 20;
  const smsSeconds = num(values['sms-seconds']) ?? 10;
  const smsConcurrency = num(values.concurrency) ?? 8;
  if (![iterations, smsSeconds, smsConcurrency].every((x) => Number.isFinite(x) && x >= 0)) throw new Error('--iterations, --sms-seconds and --concurrency take numbers');
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);

  const started = Date.now();
  const load0 = os.loadavg()[0]!;
  console.log(`Tongban ID login methods bench: node ${process.version}, ${os.cpus().length} cores, load average ${load0.toFixed(1)}`);
  const backend = backendDescription();
  // set-up and progress lines on stdout too, so the report reads whole
  const results = await benchMethods({ iterations, smsSeconds, smsConcurrency, log: (line) => console.log(line), ...(only ? { only } : {}) });
  const wall = (Date.now() - started) / 1000;

  console.log('');
  console.log(methodsTable(results));
  console.log('');
  console.log(
    `Complete login = GET /auth (PKCE) -> chooser -> the method's pages -> redirect with the code -> POST /token, fresh browser each.\n` +
      `p99 is nearest-rank: with n < 100 samples it is the slowest one (the max), marked "(max)".\n` +
      `Wall time ${wall.toFixed(0)} s; load average ${load0.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at end.`,
  );
  console.log(
    JSON.stringify({
      bench: 'methods',
      node: process.version,
      cores: os.cpus().length,
      loadAverage: { start: load0, end: os.loadavg()[0] },
      backend,
      rateScopes: BENCH_SCOPES,
      iterations,
      smsSeconds,
      smsConcurrency,
      wallSeconds: wall,
      results,
    }),
  );

  const failing = failingMethods(results);
  if (failing.length) {
    console.error(
      `FAIL: more than ${MAX_ERROR_RATE * 100} % errors: ` +
        failing.map((r) => `${r.method}${r.kind === 'concurrent' ? ' (concurrent)' : ''} ${r.errors}/${r.n + r.errors}: ${r.firstError ?? r.note ?? ''}`).join('; '),
    );
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main()
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 2;
    })
    // anything a driver left running (a held request, a timer) must not keep the bench alive
    .finally(() => setTimeout(() => process.exit(), 500).unref());
}
