/**
 * Appends rows to the hash chain in as few round trips as possible.
 *
 * A unique index on prev_hash makes a fork impossible: of two rows naming the same
 * predecessor, only one can commit. So a writer needs no lock: it keeps the head it last
 * wrote (or read), links new rows to it and inserts them in one statement; when another
 * instance moved the head in between, the insert fails on that index, and the writer reads the
 * head again and retries. Inside one process, appends are queued and whatever queued up while
 * an insert was in flight goes out together in the next one (one statement, one round trip).
 * Each caller's promise settles when its own row has committed, or failed.
 */
import type { Database } from '../store/database.ts';
import { GENESIS_HASH, canonicalJson, isoUtc, rowHash } from './chain-hash.ts';

export interface ChainRow {
  readonly type: string;
  readonly subjectIndex: string | null;
  readonly clientId: string | null;
  readonly source: string | null;
  /** JSON-safe (already round-tripped through JSON) */
  readonly data: Record<string, unknown>;
}

interface Head {
  hash: string;
  /** ISO 8601 UTC, millisecond precision, as the hash uses it */
  at: string;
}

interface Pending {
  row: ChainRow;
  resolve(): void;
  reject(err: unknown): void;
}

// A statement of at most this many rows (8 parameters each).
const MAX_BATCH = 200;
// Other instances moving the head this many times in a row is not contention but a fault.
const MAX_ATTEMPTS = 8;
const PREV_HASH_INDEX = 'audit_log_prev_hash_key';

function isFork(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e.code === '23505' && (e.constraint === PREV_HASH_INDEX || String(e.message ?? '').includes(PREV_HASH_INDEX));
}

export interface ChainWriter {
  append(row: ChainRow): Promise<void>;
}

export function createChainWriter(db: Database): ChainWriter {
  let head: Head | null = null;
  let queue: Pending[] = [];
  let draining = false;

  async function readHead(): Promise<Head> {
    const { rows } = await db.query<{ hash: string; at: string }>(
      `SELECT hash, ${isoUtc('at')} AS at FROM audit_log ORDER BY seq DESC LIMIT 1`,
    );
    return rows[0] ?? { hash: GENESIS_HASH, at: '' };
  }

  /** Links `rows` after the head and inserts them in one statement; retries when the head moved. */
  async function insert(rows: readonly ChainRow[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      head ??= await readHead();
      // `at` never runs backwards along the chain, whatever the clocks of several instances say
      const now = new Date().toISOString();
      const at = now > head.at ? now : head.at;
      let prevHash = head.hash;
      const params: unknown[] = [];
      const values: string[] = [];
      for (const r of rows) {
        const hash = rowHash({ prevHash, at, ...r });
        const n = params.length;
        values.push(`($${n + 1}::timestamptz, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}::jsonb, $${n + 7}, $${n + 8})`);
        params.push(at, r.type, r.subjectIndex, r.clientId, r.source, canonicalJson(r.data), prevHash, hash);
        prevHash = hash;
      }
      try {
        await db.query(
          `INSERT INTO audit_log (at, type, subject_index, client_id, source, data, prev_hash, hash) VALUES ${values.join(', ')}`,
          params,
        );
        head = { hash: prevHash, at };
        return;
      } catch (err) {
        // whatever happened, the head we hold can no longer be trusted
        head = null;
        if (!isFork(err) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length) {
        const batch = queue.slice(0, MAX_BATCH);
        queue = queue.slice(batch.length);
        try {
          await insert(batch.map((p) => p.row));
          for (const p of batch) p.resolve();
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          // one bad row must not fail the others that happened to share its statement
          else for (const p of batch) await insert([p.row]).then(p.resolve, p.reject);
        }
      }
    } finally {
      draining = false;
    }
  }

  return {
    append(row) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        if (!draining) void drain();
      });
    },
  };
}
