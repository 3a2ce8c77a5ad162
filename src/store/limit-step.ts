/**
 * One step of one rate limit, applied atomically by the ephemeral store: the same rules as a
 * TypeScript function (the in-process store runs it synchronously, in one tick) and as a Lua
 * script (Redis runs it as one command). Keeping both here, side by side, keeps them equal;
 * the store contract test runs the same cases against both.
 *
 * A limit is one small record: `n` attempts counted in the window ending at `w`, a back-off
 * until `u`, the lock `l`evel reached in this window, and the lock time `s` spent in the budget
 * day ending at `d`. All times are milliseconds from the caller's clock, so a test can move time.
 */

export interface LimitRule {
  /** attempts allowed in the window; the attempt that finds `threshold` already counted is refused */
  threshold: number;
  windowMs: number;
  /** the first back-off; an escalating rule doubles it with each lock in the window, up to maxMs */
  baseMs: number;
  maxMs: number;
  escalate: boolean;
  /** total back-off allowed per day (0: unbounded); a lock beyond it is not applied */
  budgetMs: number;
  /** what a success does: forget everything, give its attempt back, or keep it counted */
  onSuccess: 'clear' | 'refund' | 'keep';
}

/**
 * reserve: refuse when in back-off or at the threshold, otherwise count one attempt.
 * fail: the reserved attempt failed; at the threshold it becomes a back-off.
 * succeed: the reserved attempt succeeded (see onSuccess).
 * release: the reserved attempt did not test anything; it is given back.
 */
export type LimitOp = 'reserve' | 'fail' | 'succeed' | 'release';

/**
 * reserve: `ok` and, when refused, `ms` until trying again makes sense.
 * fail: `ms` of back-off applied now (0: none), with `ok` true when a lock was applied.
 * succeed: `ok` true when the success ended a lock that had been applied (a lift; 'clear' rules only).
 */
export interface LimitReply {
  ok: boolean;
  ms: number;
  count: number;
}

export interface LimitRecord {
  n: number;
  w: number;
  u: number;
  l: number;
  s: number;
  d: number;
}

const DAY_MS = 86_400_000;

/** The rules, in TypeScript. Returns the new record (null: delete it) and the reply. */
export function stepLimit(
  prev: LimitRecord | null,
  rule: LimitRule,
  op: LimitOp,
  now: number,
): { next: LimitRecord | null; reply: LimitReply } {
  const r: LimitRecord = prev ? { ...prev } : { n: 0, w: 0, u: 0, l: 0, s: 0, d: 0 };
  if (r.w <= now) {
    r.n = 0;
    r.l = 0;
    r.w = now + rule.windowMs;
  }
  if (r.d <= now) {
    r.s = 0;
    r.d = now + DAY_MS;
  }
  let ok = false;
  let ms = 0;
  if (op === 'reserve') {
    if (r.u > now) return { next: r, reply: { ok: false, ms: r.u - now, count: r.n } };
    // attempts still in flight (or a lock the budget did not allow) hold the door until they settle
    if (r.n >= rule.threshold) return { next: r, reply: { ok: false, ms: Math.max(1000, Math.min(rule.baseMs, r.w - now)), count: r.n } };
    r.n += 1;
    ok = true;
  } else if (op === 'fail') {
    if (r.n >= rule.threshold) {
      let lock = rule.escalate ? Math.min(rule.maxMs, rule.baseMs * 2 ** r.l) : rule.baseMs;
      if (rule.budgetMs > 0) lock = Math.max(0, Math.min(lock, rule.budgetMs - r.s));
      if (lock > 0) {
        r.u = now + lock;
        r.s += lock;
        r.l += 1;
        ms = lock;
        ok = true;
      }
      // escalating: one more try after the lock, then a longer one; otherwise a fresh count
      r.n = rule.escalate ? rule.threshold - 1 : 0;
    }
  } else if (op === 'succeed') {
    if (rule.onSuccess === 'clear') {
      ok = r.u > 0;
      if (rule.budgetMs === 0) return { next: null, reply: { ok, ms: 0, count: 0 } };
      // the budget spent today stays spent: a stranger cannot refill it by letting the owner in
      r.n = 0;
      r.l = 0;
      r.u = 0;
    } else if (rule.onSuccess === 'refund') {
      r.n = Math.max(0, r.n - 1);
    }
  } else {
    r.n = Math.max(0, r.n - 1);
  }
  return { next: r, reply: { ok, ms, count: r.n } };
}

/** How long the record must live: until its window, lock and budget day have all ended. */
export function recordTtlMs(r: LimitRecord, now: number): number {
  return Math.max(1000, Math.max(r.w, r.u, r.d) - now);
}

export function ruleArgs(rule: LimitRule, op: LimitOp, now: number): string[] {
  return [
    op,
    String(now),
    String(rule.threshold),
    String(rule.windowMs),
    String(rule.baseMs),
    String(rule.maxMs),
    rule.escalate ? '1' : '0',
    String(rule.budgetMs),
    rule.onSuccess,
  ];
}

/** The same rules in Lua, for Redis: KEYS[1] is the limit's hash, ARGV as ruleArgs(). */
export const LIMIT_SCRIPT = `
local k = KEYS[1]
local op = ARGV[1]
local now = tonumber(ARGV[2])
local T = tonumber(ARGV[3])
local W = tonumber(ARGV[4])
local B = tonumber(ARGV[5])
local M = tonumber(ARGV[6])
local esc = ARGV[7] == '1'
local budget = tonumber(ARGV[8])
local onSuccess = ARGV[9]
local h = redis.call('HMGET', k, 'n', 'w', 'u', 'l', 's', 'd')
local n = tonumber(h[1]) or 0
local w = tonumber(h[2]) or 0
local u = tonumber(h[3]) or 0
local l = tonumber(h[4]) or 0
local s = tonumber(h[5]) or 0
local d = tonumber(h[6]) or 0
if w <= now then n = 0; l = 0; w = now + W end
if d <= now then s = 0; d = now + ${DAY_MS} end
local ok = 0
local ms = 0
if op == 'reserve' then
  if u > now then return {0, u - now, n} end
  if n >= T then return {0, math.max(1000, math.min(B, w - now)), n} end
  n = n + 1
  ok = 1
elseif op == 'fail' then
  if n >= T then
    local lock = B
    if esc then lock = math.min(M, B * 2 ^ l) end
    if budget > 0 then lock = math.max(0, math.min(lock, budget - s)) end
    if lock > 0 then
      u = now + lock; s = s + lock; l = l + 1; ms = lock; ok = 1
    end
    if esc then n = T - 1 else n = 0 end
  end
elseif op == 'succeed' then
  if onSuccess == 'clear' then
    if u > 0 then ok = 1 end
    if budget == 0 then
      redis.call('DEL', k)
      return {ok, 0, 0}
    end
    n = 0; l = 0; u = 0
  elseif onSuccess == 'refund' then
    n = math.max(0, n - 1)
  end
else
  n = math.max(0, n - 1)
end
redis.call('HSET', k, 'n', n, 'w', w, 'u', u, 'l', l, 's', s, 'd', d)
redis.call('PEXPIRE', k, math.max(1000, math.max(w, u, d) - now))
return {ok, ms, n}
`;
