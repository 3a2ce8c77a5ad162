/**
 * Rate limits shared through the ephemeral store, so every instance sees them. Each limit is
 * checked and counted in one atomic store step (src/store/limit-step.ts): an attempt is
 * reserved before the secret is tested and settled after, so a burst of simultaneous requests
 * cannot all pass a check before any failure is counted. Identifiers are keyed-hashed before
 * they become keys (no ID number or phone in Redis); each limit's key is hash-tagged so a
 * Redis Cluster keeps it in one slot.
 *
 * Lockouts protect and do not punish (NIST SP 800-63B §5.2.2): see DEFAULT_SCOPES below and
 * `guess()`. Times come from `now()` so tests can move the clock instead of sleeping.
 */
import { randomBytes } from 'node:crypto';
import type { Account, RateKey, RateLimiter, Reservation, RequestLimits } from '../../providers/kit/index.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { logBackgroundFailure } from '../log.ts';
import { countRateLimitRefusal } from '../metrics/index.ts';
import type { LimitReply, LimitRule } from '../store/limit-step.ts';

export interface RateScope {
  /** attempts allowed within `windowSeconds` before back-off starts */
  threshold: number;
  windowSeconds: number;
  baseSeconds: number;
  maxSeconds: number;
  /** false: every back-off is `baseSeconds` (default true: each doubles, up to maxSeconds) */
  escalate?: boolean;
  /** total back-off per day; beyond it the limit stops locking (default: unbounded) */
  budgetSeconds?: number;
  /** what a success does to the count (default 'clear') */
  onSuccess?: LimitRule['onSuccess'];
}

const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;

export const DEFAULT_SCOPES: Record<string, RateScope> = {
  // --- guesses at one account's secret (password, PIN, OTP, face, card), see guess() ---
  // per account and source address: the stranger's own address is what gets punished:
  // 5 tries, then 1 min, 2, 4 … up to 1 h between tries, for a day
  pair: { threshold: 5, windowSeconds: DAY, baseSeconds: MIN, maxSeconds: HOUR },
  // per account from anywhere: 10 failures in 15 min pause it for 1 min, at most 5 min a day in all
  id: { threshold: 10, windowSeconds: 15 * MIN, baseSeconds: MIN, maxSeconds: MIN, escalate: false, budgetSeconds: 5 * MIN },
  // per account, hard daily cap (NIST: at most 100 failures): then only the owner's known devices and addresses get through
  'id-day': { threshold: 100, windowSeconds: DAY, baseSeconds: DAY, maxSeconds: DAY, escalate: false, onSuccess: 'refund' },
  // per account and a device the owner signed in from before: their own typos only
  device: { threshold: 5, windowSeconds: DAY, baseSeconds: 30, maxSeconds: 15 * MIN },
  // per card or fund account from anywhere, own devices included: the authority locks the card
  // itself after 6 wrong PINs in a row (and a stranger must not make it), so at most 5 in a row
  // reach it through us; then the card waits 30 days for one more try (a success clears it)
  card: { threshold: 5, windowSeconds: 30 * DAY, baseSeconds: 30 * DAY, maxSeconds: 30 * DAY },
  // per source address, over all accounts: more room (shared NAT in service halls), longer ceiling
  ip: { threshold: 30, windowSeconds: 15 * MIN, baseSeconds: MIN, maxSeconds: 15 * MIN, onSuccess: 'refund' },
  // --- counted on every request (reserve only, never given back) ---
  // registrations per source address
  enrol: { threshold: 10, windowSeconds: HOUR, baseSeconds: 5 * MIN, maxSeconds: HOUR },
  // text messages, see message(): to one number from devices it does not know, a handful a day
  'daily-number': { threshold: 5, windowSeconds: DAY, baseSeconds: DAY, maxSeconds: DAY },
  // to one number from a device its owner signed in from before
  'daily-device': { threshold: 10, windowSeconds: DAY, baseSeconds: DAY, maxSeconds: DAY },
  // from one source address, and from everyone together (SMS pumping)
  'daily-ip': { threshold: 100, windowSeconds: DAY, baseSeconds: DAY, maxSeconds: DAY },
  'sms-global': { threshold: 3000, windowSeconds: 10 * MIN, baseSeconds: MIN, maxSeconds: MIN },
  // requests we pay an outside authority for, per source address (each eID QR is a platform
  // request): generous for a service hall behind one NAT
  authority: { threshold: 60, windowSeconds: 10 * MIN, baseSeconds: MIN, maxSeconds: 10 * MIN },
  // one key for the whole service: wrong guesses of short codes from everywhere together
  global: { threshold: 300, windowSeconds: 10 * MIN, baseSeconds: MIN, maxSeconds: 10 * MIN, onSuccess: 'refund' },
};

/** How long a device, and an address, stay known for an account after a sign-in from it. */
const KNOWN_DEVICE_SECONDS = 180 * DAY;
const KNOWN_ADDRESS_SECONDS = 30 * DAY;

/** Locks that keep an account's owner waiting are told to the owner ("my activity"). */
export interface LockEvents {
  locked(account: Account, scope: string, seconds: number): Promise<void>;
  /** a sign-in ended a lock (the owner came back) */
  lifted(account: Account): Promise<void>;
}

export interface ServiceLimiter extends RateLimiter {
  /** the limits of one request; `deviceId` is the browser's known-device cookie, when it has one */
  forRequest(who: { sourceIp: string; deviceId?: string }): RequestLimits;
}

const OWNER_SCOPES = new Set(['id', 'id-day', 'device', 'card']);

export function createRateLimiter(
  store: EphemeralStore,
  hash: (scope: string, id: string) => string,
  overrides: Record<string, RateScope> = {},
  opts: {
    now?: () => number;
    events?: LockEvents;
    /** the method whose identifier is a phone: a text to a number is limited by its known devices */
    phoneMethod?: string;
    /** the scopes in force, read at each check (the live policy's); `overrides` are then unused */
    scopes?: () => Readonly<Record<string, RateScope>>;
  } = {},
): ServiceLimiter {
  // an override changes the numbers it names; the rest of the scope (escalation, budget) stays
  const fixed: Record<string, RateScope> = { ...DEFAULT_SCOPES };
  for (const [name, o] of Object.entries(overrides)) fixed[name] = { ...DEFAULT_SCOPES[name], ...o };
  const scopesInForce = opts.scopes ?? (() => fixed);
  const now = opts.now ?? Date.now;
  const ruleOf = (scope: string): LimitRule => {
    const s = scopesInForce()[scope];
    if (!s) throw new Error(`unknown rate-limit scope ${scope}`);
    return {
      threshold: s.threshold,
      windowMs: s.windowSeconds * 1000,
      baseMs: s.baseSeconds * 1000,
      maxMs: s.maxSeconds * 1000,
      escalate: s.escalate ?? true,
      budgetMs: (s.budgetSeconds ?? 0) * 1000,
      onSuccess: s.onSuccess ?? 'clear',
    };
  };
  // the braces are a Redis Cluster hash tag: a limit is one key in one slot
  const keyOf = (k: RateKey) => `rl:{${k.scope}:${hash(k.scope, k.id)}}`;
  const step = (keys: readonly RateKey[], op: 'reserve' | 'fail' | 'succeed' | 'release', at: number) =>
    Promise.all(keys.map((k) => store.limit(keyOf(k), ruleOf(k.scope), op, at)));
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  /**
   * Every key is one atomic step, all sent together (one round trip). A refusal by any key
   * gives back the attempts the others counted, so a refused request costs nothing.
   */
  async function reserve(keys: readonly RateKey[], hooks: { account?: Account; onSuccess?: () => Promise<void> } = {}): Promise<Reservation> {
    const at = now();
    const replies = await step(keys, 'reserve', at);
    const refused = replies.filter((r) => !r.ok);
    if (refused.length) {
      for (const [i, r] of replies.entries()) if (!r.ok) countRateLimitRefusal(keys[i]!.scope);
      await step(keys.filter((_, i) => replies[i]!.ok), 'release', at);
      return { ok: false, retryAfter: seconds(Math.max(...refused.map((r) => r.ms))) };
    }
    let settled = false;
    const once = () => {
      if (settled) throw new Error('a rate-limit attempt is settled once');
      settled = true;
    };
    return {
      ok: true,
      async failed() {
        once();
        const out = await step(keys, 'fail', now());
        await tell(hooks.account, keys, out, 'locked');
        return Math.max(0, ...out.map((r) => (r.ok ? seconds(r.ms) : 0)));
      },
      async succeeded() {
        once();
        // remembering the device or address does not depend on the counts: one round trip for both
        const [out] = await Promise.all([step(keys, 'succeed', now()), hooks.onSuccess?.()]);
        await tell(hooks.account, keys, out, 'lifted');
      },
      async release() {
        once();
        await step(keys, 'release', now());
      },
    };
  }

  async function tell(account: Account | undefined, keys: readonly RateKey[], out: LimitReply[], what: 'locked' | 'lifted') {
    if (!account || !opts.events) return;
    const hits = keys.map((k, i) => ({ scope: k.scope, r: out[i]! })).filter((h) => h.r.ok && OWNER_SCOPES.has(h.scope));
    try {
      if (what === 'locked') for (const h of hits) await opts.events.locked(account, h.scope, seconds(h.r.ms));
      else if (hits.length) await opts.events.lifted(account);
    } catch (err) {
      // the lock itself holds; only its note in the person's activity is missing
      logBackgroundFailure('lock event not recorded', err);
    }
  }

  const accountId = (a: Account) => `${a.method}:${a.identifier}`;
  const deviceKey = (a: Account, deviceId: string) => `kd:{${hash('known-device', accountId(a))}}:${hash('device', deviceId)}`;
  const addressKey = (a: Account, ip: string) => `ka:{${hash('known-address', accountId(a))}}:${hash('address', ip)}`;
  // the per-address and per-device limits of an account are named with its current epoch, so
  // staff can lift them all at once without knowing which addresses a stranger used
  const epochKey = (id: string) => `le:{${hash('lock-epoch', id)}}`;

  async function reset(keys: readonly RateKey[]) {
    await store.del(keys.map(keyOf));
  }

  async function resetAccount(a: Account) {
    const id = accountId(a);
    await store.del([keyOf({ scope: 'id', id }), keyOf({ scope: 'id-day', id })]);
    // a new epoch names new per-address and per-device keys: the old back-offs no longer apply
    await store.set(epochKey(id), randomBytes(8).toString('base64url'), DAY);
  }

  return {
    reserve: (keys) => reserve(keys),
    reset,
    resetAccount,

    forRequest({ sourceIp, deviceId }) {
      const ip: RateKey = { scope: 'ip', id: sourceIp };
      /** the device, or else the address, when the account's owner signed in from it before; and the account's epoch */
      const knownFrom = async (a: Account): Promise<{ device: boolean; address: boolean; epoch: string }> => {
        const [epoch, address, device = null] = await store.mget([
          epochKey(accountId(a)),
          addressKey(a, sourceIp),
          ...(deviceId ? [deviceKey(a, deviceId)] : []),
        ]);
        return { device: device !== null, address: address !== null, epoch: epoch ?? '' };
      };
      // only what is not known yet: a sign-in from a known device costs no write
      const remember = (a: Account, known: { device: boolean; address: boolean }) =>
        Promise.all([
          known.address ? undefined : store.set(addressKey(a, sourceIp), '1', KNOWN_ADDRESS_SECONDS),
          deviceId && !known.device ? store.set(deviceKey(a, deviceId), '1', KNOWN_DEVICE_SECONDS) : undefined,
        ]).then(() => undefined);
      return {
        reserve: (keys) => reserve(keys),
        reset,
        resetAccount,

        async guess(account, extra = []) {
          const id = accountId(account);
          const known = await knownFrom(account);
          const pair: RateKey = { scope: 'pair', id: `${id}\0${known.epoch}\0${sourceIp}` };
          // a device the owner signed in from before is limited on its own, and an address they
          // signed in from before only per address: a stranger's failures elsewhere lock neither
          const keys: RateKey[] = known.device
            ? [{ scope: 'device', id: `${id}\0${known.epoch}\0${deviceId}` }, ip, ...extra]
            : known.address
                ? [pair, ip, ...extra]
                : [pair, { scope: 'id', id }, { scope: 'id-day', id }, ip, ...extra];
          return reserve(keys, { account, onSuccess: () => remember(account, known) });
        },

        async message(phone) {
          // the owner's known device (or address) has its own daily allowance: strangers cannot use it up
          // (no method plays the phone role: the number is its own account, known to no device yet)
          const known = await knownFrom({ method: opts.phoneMethod ?? 'phone', identifier: phone });
          const own: RateKey =
            known.device || known.address
              ? { scope: 'daily-device', id: `sms:${phone}\0${known.device ? `d:${deviceId}` : `a:${sourceIp}`}` }
              : { scope: 'daily-number', id: `sms:${phone}` };
          return reserve([own, { scope: 'daily-ip', id: `sms:${sourceIp}` }, { scope: 'sms-global', id: 'sms' }]);
        },
      };
    },
  };
}
