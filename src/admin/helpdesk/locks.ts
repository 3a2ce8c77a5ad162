/**
 * A person's sign-in locks in force now. The limiter (src/policy/rate-limit.ts) keeps its
 * counters under keyed hashes of the method's identifier (a phone or card number the service
 * holds only as a blind index), so they cannot be listed per person; but every lock that keeps
 * the owner waiting (the account-wide, daily, own-device and card limits) is written to the
 * person's audit trail with its length as it happens (src/policy/lock-events.ts). A lock is in
 * force until its length has passed, unless a later event ended it: a sign-in with that method,
 * a counter's lift or a helpdesk lift.
 */
import type { AuditRecord } from '../../audit/index.ts';

export interface CurrentLock {
  method: string;
  scope: string;
  since: Date;
  until: Date;
}

// events that end every lock of the person (a lift covers all the person's methods)
const LIFTS = new Set(['counter.lockout_lifted', 'helpdesk.lockout_lifted']);

/** `trail`: the person's audit records, newest first (as listForSubject returns them). */
export function currentLocks(trail: readonly AuditRecord[], now: Date): CurrentLock[] {
  const open = new Map<string, CurrentLock>();
  for (const r of [...trail].reverse()) {
    if (r.type === 'login.locked') {
      const method = String(r.data.method);
      const scope = String(r.data.scope);
      const since = new Date(r.at);
      const until = new Date(since.getTime() + Number(r.data.seconds) * 1000);
      const key = `${method}\0${scope}`;
      const prev = open.get(key);
      if (!prev || prev.until < until) open.set(key, { method, scope, since, until });
    } else if (r.type === 'login.unlocked' || r.type === 'login.succeeded') {
      const method = String(r.data.method);
      for (const [key, lock] of open) if (method.split('+').includes(lock.method)) open.delete(key);
    } else if (LIFTS.has(r.type)) {
      open.clear();
    }
  }
  return [...open.values()].filter((l) => l.until > now).sort((a, b) => a.until.getTime() - b.until.getTime());
}
