/**
 * Refused attempts (rate limits hit) in the audit trail without drowning it: one count per
 * (event type, method, scope, identifier index, source address) per fixed window, kept in the
 * ephemeral store and incremented atomically, and two rows at most per window in the chain:
 *
 * - the window's first refusal writes a row at once (`count: 1, final: false`), so an attack is
 *   on the record the moment it starts, whatever happens to the ephemeral store later;
 * - when the window has ended, a closer (on any instance, at start-up and every minute) takes
 *   the count with an atomic read-and-delete, so exactly one instance writes the closing row
 *   (`count: N, final: true`, N the window's total, the first refusal included). If that write
 *   fails, the count is put back and the next run tries again.
 *
 * So a count is never dropped silently: an opening row without its closing row means the
 * ephemeral store lost the count (a Redis restart without persistence), and nothing else.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { AuditLog } from './audit-log.ts';
import { runPeriodically } from '../background-task.ts';

export interface Refusal {
  type: 'login.rate_limited';
  method: string;
  /** which limit or step refused (a flow, a limit's scope) */
  scope: string;
  /** the blind index of the identifier the attempts were about, when known */
  identifierIndex?: string;
  clientId?: string;
  source?: string;
}

export interface RefusalTally {
  /** counts one refused attempt; the window's first also writes its opening row */
  note(refusal: Refusal): Promise<void>;
  /** writes the closing rows of windows ended by `now`; returns how many */
  closeEnded(now?: number): Promise<number>;
  /** closes now and then every `intervalMs`; returns the stop function */
  startCloser(intervalMs: number): () => Promise<void>;
}

const refusalSchema = z.object({
  type: z.literal('login.rate_limited'),
  method: z.string(),
  scope: z.string(),
  identifierIndex: z.string().optional(),
  clientId: z.string().optional(),
  source: z.string().optional(),
});

// how long an ended window's count waits for a closer (instances all down for longer lose it, visibly)
const CLOSE_GRACE_SECONDS = 6 * 3600;
// ended windows a closer looks at each run (36 × 10 minutes: the grace above)
const MAX_WINDOWS_SCANNED = 36;

export function createRefusalTally(store: EphemeralStore, audit: AuditLog, opts: { windowSeconds: number }): RefusalTally {
  const windowMs = opts.windowSeconds * 1000;
  const ttl = opts.windowSeconds + CLOSE_GRACE_SECONDS;
  const openKey = (start: number) => `audit:refusals:${start}`;
  const countKey = (start: number, member: string) =>
    `audit:refusals:${start}:${createHash('sha256').update(member).digest('base64url').slice(0, 22)}`;

  function row(r: Refusal, start: number, count: number, final: boolean) {
    const { identifierIndex, ...rest } = r;
    return {
      ...rest,
      ...(identifierIndex !== undefined ? { identifierIndex } : {}),
      windowStart: new Date(start).toISOString(),
      windowSeconds: opts.windowSeconds,
      count,
      final,
    };
  }

  async function closeOne(start: number, member: string): Promise<boolean> {
    const parsed = refusalSchema.safeParse(JSON.parse(member));
    if (!parsed.success) return false;
    const key = countKey(start, member);
    const taken = await store.consume(key);
    if (taken === null) return false; // closed by another instance already
    try {
      await audit.record(row(parsed.data, start, Number(taken), true));
      return true;
    } catch (err) {
      // not on the record: the count goes back for the next run
      await store.set(key, taken, ttl);
      throw err;
    }
  }

  const tally: RefusalTally = {
    async note(r) {
      const start = Math.floor(Date.now() / windowMs) * windowMs;
      // canonical member: the same refusal always names the same counter
      const member = JSON.stringify(refusalSchema.parse(r), Object.keys(refusalSchema.shape).sort());
      const n = await store.incr(countKey(start, member), ttl);
      if (n !== 1) return;
      await store.sadd(openKey(start), member, ttl);
      await audit.record(row(r, start, 1, false));
    },

    async closeEnded(now = Date.now()) {
      let closed = 0;
      const current = Math.floor(now / windowMs) * windowMs;
      let failure: unknown;
      const windows = Math.min(MAX_WINDOWS_SCANNED, Math.ceil(CLOSE_GRACE_SECONDS / opts.windowSeconds));
      for (let i = 1, start = current - windowMs; i <= windows; i++, start -= windowMs) {
        for (const member of await store.smembers(openKey(start))) {
          try {
            if (await closeOne(start, member)) closed++;
          } catch (err) {
            failure ??= err;
          }
        }
      }
      if (failure) throw failure;
      return closed;
    },

    startCloser(intervalMs) {
      return runPeriodically(() => tally.closeEnded(), intervalMs, 'audit: closing refusal windows failed; retried on the next run');
    },
  };
  return tally;
}
