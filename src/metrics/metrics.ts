/**
 * Every metric the service exports, defined once, and the small functions the rest of the code
 * calls to record them (nothing else imports prom-client). Labels take values from short fixed
 * lists only (method and authority names from the definitions, rate-limit scopes, outcomes,
 * grant types from the list below): never a person, an identifier, an address or a client id.
 *
 * All of them live in prom-client's global registry: a worker of a cluster answers the
 * primary's request for them from there (see listener.ts).
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

// process metrics (CPU, memory, event-loop delay, GC, handles), once per process
collectDefaultMetrics();
// a cluster worker answers the primary's requests for its metrics: constructing an aggregator installs that listener
if (cluster.isWorker) new AggregatorRegistry();

const signIns = new Counter({
  name: 'tongban_sign_ins_total',
  help: 'Sign-in attempts on the login pages and at the counter, by method, level and outcome',
  labelNames: ['method', 'level', 'outcome'] as const,
});

const authorityCalls = new Histogram({
  name: 'tongban_authority_call_duration_seconds',
  help: 'Calls to outside authorities, retries included, by authority and outcome (ok, timeout, network, http, malformed)',
  labelNames: ['authority', 'outcome'] as const,
  buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

const tokenGrants = new Counter({
  name: 'tongban_token_grants_total',
  help: 'Token-endpoint requests by grant type and outcome (issued or refused)',
  labelNames: ['grant_type', 'outcome'] as const,
});

const rateLimitRefusals = new Counter({
  name: 'tongban_rate_limit_refusals_total',
  help: 'Requests refused by a rate limit, by the scope that refused them',
  labelNames: ['scope'] as const,
});

const auditAppends = new Histogram({
  name: 'tongban_audit_append_duration_seconds',
  help: 'Time to link audit events into the chain: one event recorded on its own (record) or the events a transaction committed (chain)',
  labelNames: ['kind'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
});

const backchannelLogouts = new Counter({
  name: 'tongban_backchannel_logouts_total',
  help: 'Back-channel logout notices to department apps, by outcome (delivered or failed)',
  labelNames: ['outcome'] as const,
});

const cacheReloads = new Counter({
  name: 'tongban_cache_reloads_total',
  help: 'Loads of the in-process caches from PostgreSQL (clients, policy), by outcome',
  labelNames: ['cache', 'outcome'] as const,
});

// what the password hasher reports when the gauge is read (watchPasswordHashes)
let hashLoad: () => { running: number; waiting: number } = () => ({ running: 0, waiting: 0 });

new Gauge({
  name: 'tongban_password_hashes',
  help: 'Password and PIN hashes (argon2id) running now and waiting their turn; a line that keeps growing means sign-ins need more cores',
  labelNames: ['state'] as const,
  collect() {
    const { running, waiting } = hashLoad();
    this.set({ state: 'running' }, running);
    this.set({ state: 'waiting' }, waiting);
  },
});

export type SignInOutcome = 'success' | 'failure' | 'rate_limited' | 'unavailable' | 'more_needed';

/** A sign-in attempt's end. `level`: the level reached, or for an attempt that reached none the method's own. */
export function countSignIn(method: string, level: number, outcome: SignInOutcome): void {
  signIns.inc({ method, level: String(level), outcome });
}

/** Starts timing an authority call; the returned function ends it with its outcome. */
export function timeAuthorityCall(authority: string): (outcome: string) => void {
  const end = authorityCalls.startTimer({ authority });
  return (outcome) => void end({ outcome });
}

// the grant types the provider may be asked for; anything a caller makes up counts as 'other'
const GRANT_TYPES = new Set([
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:openid:params:grant-type:ciba',
  'urn:ietf:params:oauth:grant-type:token-exchange',
]);

export function countTokenGrant(grantType: unknown, outcome: 'issued' | 'refused'): void {
  const known = typeof grantType === 'string' && GRANT_TYPES.has(grantType);
  tokenGrants.inc({ grant_type: known ? grantType : 'other', outcome });
}

export function countRateLimitRefusal(scope: string): void {
  rateLimitRefusals.inc({ scope });
}

/** Starts timing an audit append; the returned function ends it. */
export function timeAuditAppend(kind: 'record' | 'chain'): () => void {
  const end = auditAppends.startTimer({ kind });
  return () => void end();
}

export function countBackchannelLogout(outcome: 'delivered' | 'failed'): void {
  backchannelLogouts.inc({ outcome });
}

export function countCacheReload(cache: 'clients' | 'policy', outcome: 'ok' | 'failed'): void {
  cacheReloads.inc({ cache, outcome });
}

/** The password hasher whose hashes the gauge counts (the service's one). */
export function watchPasswordHashes(load: () => { running: number; waiting: number }): void {
  hashLoad = load;
}

/** This process's metrics in the Prometheus text format. */
export function processMetrics(): Promise<string> {
  return register.metrics();
}

export const METRICS_CONTENT_TYPE = register.contentType;
