/**
 * The append-only audit log. Each row carries the hash of the one before, so an edited or
 * deleted row breaks the chain at that point (see verify-chain.ts).
 *
 * Two ways in: `record` for an event that is the whole action (a sign-in, a refusal), and
 * `transaction` for an action with rows of its own: its events commit in the same transaction
 * as those rows (through audit_outbox), or neither does.
 */
import type { Database, Queryable } from '../store/database.ts';
import { isoUtc } from './chain-hash.ts';
import { createChainWriter } from './chain-writer.ts';
import type { AuditEvent, AuditRecord } from './events.ts';
import { stageInOutbox } from './outbox.ts';
import { prepareEvent } from './prepare-event.ts';
import { verifyChain, type ChainHead, type ChainVerification } from './verify-chain.ts';
import { logBackgroundFailure } from '../log.ts';
import { runPeriodically } from '../background-task.ts';
import { timeAuditAppend } from '../metrics/index.ts';

export type AuditInput = AuditEvent & { source?: string };

/** A transaction that can also stage audit events; they commit with its rows. */
export interface AuditedTx extends Queryable {
  audit(event: AuditInput): Promise<void>;
}

export interface AuditLog {
  record(event: AuditInput): Promise<void>;
  /**
   * Runs `fn` in one database transaction. Events passed to `tx.audit` commit with its rows or
   * not at all (a refused event throws AuditRefused and rolls everything back); after the
   * commit they are linked into the chain before this resolves (or by the sweep, if that fails).
   */
  transaction<T>(fn: (tx: AuditedTx) => Promise<T>): Promise<T>;
  /** Chains what earlier processes committed but did not chain (a crash between the two). */
  sweep(): Promise<number>;
  /** Sweeps now and then every `intervalMs`; returns the stop function (waits for a sweep in flight). */
  startSweeper(intervalMs: number): () => Promise<void>;
  /** `anchor`: a head recorded earlier, which must still be in the chain unchanged */
  verifyChain(anchor?: ChainHead): Promise<ChainVerification>;
  /** Newest first; events committed but not chained yet come first, with seq ''. */
  listForSubject(subjectIndex: string, limit: number): Promise<AuditRecord[]>;
}

const MAX_LIST = 1000;
// the process that committed an outbox row chains it within milliseconds; the sweep leaves it that long
const SWEEP_GRACE_MS = 5000;

/** A stored row as the queries here select it (`data` as text, so it is parsed once). */
export type AuditRow = {
  seq: string;
  at: string;
  type: string;
  subject_index: string | null;
  client_id: string | null;
  source: string | null;
  data: string;
};

/** A selected row as the record callers get. */
export function recordOf(r: AuditRow): AuditRecord {
  return {
    seq: r.seq,
    at: r.at,
    type: r.type,
    subjectIndex: r.subject_index,
    clientId: r.client_id,
    source: r.source,
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}

export function createAuditLog(db: Database): AuditLog {
  const chain = createChainWriter(db);
  const log: AuditLog = {
    async record(event) {
      const done = timeAuditAppend('record');
      await chain.append(prepareEvent(event));
      done();
    },

    async transaction(fn) {
      const staged: string[] = [];
      const result = await db.transaction((tx) =>
        fn({
          query: (sql, params) => tx.query(sql, params),
          ...(tx.exec ? { exec: tx.exec.bind(tx) } : {}),
          async audit(event) {
            staged.push(await stageInOutbox(tx, prepareEvent(event)));
          },
        }),
      );
      // committed: the action and its audit rows stand; chaining them is bookkeeping the sweep redoes if need be
      const done = staged.length ? timeAuditAppend('chain') : () => undefined;
      await chain.chainOutbox(staged).then(done, (err: unknown) => logBackgroundFailure('audit: chaining committed events failed; the sweep retries', err));
      return result;
    },

    sweep() {
      return chain.sweep(SWEEP_GRACE_MS);
    },

    startSweeper(intervalMs) {
      return runPeriodically(() => chain.sweep(SWEEP_GRACE_MS), intervalMs, 'audit: sweeping unchained events failed');
    },

    verifyChain(anchor) {
      return verifyChain(db, anchor);
    },

    async listForSubject(subjectIndex, limit) {
      const n = Math.max(1, Math.min(MAX_LIST, Math.trunc(limit) || 1));
      // one statement, one snapshot: a row being moved is seen in exactly one of the two tables
      const { rows } = await db.query<AuditRow>(
        `(SELECT '' AS seq, ${isoUtc('at')} AS at, type, subject_index, client_id, source, data::text AS data, 1 AS waiting, id AS ord
            FROM audit_outbox WHERE subject_index = $1 ORDER BY audit_outbox.id DESC LIMIT ${n})
         UNION ALL
         (SELECT seq::text, ${isoUtc('at')}, type, subject_index, client_id, source, data::text, 0, seq
            FROM audit_log WHERE subject_index = $1 ORDER BY audit_log.seq DESC LIMIT ${n})
         ORDER BY waiting DESC, ord DESC LIMIT ${n}`,
        [subjectIndex],
      );
      return rows.map(recordOf);
    },
  };
  return log;
}
