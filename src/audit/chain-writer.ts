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
 *
 * Rows already committed to audit_outbox (with the action they record) are moved here the same
 * way: the DELETE that claims them and the chain INSERT are one transaction, so a row is chained
 * exactly once even when two instances (or the sweep) reach for it together.
 */
import type { Database, Queryable } from '../store/database.ts';
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

type Pending = ({ row: ChainRow } | { outboxIds: readonly string[] }) & {
  resolve(): void;
  reject(err: unknown): void;
};

// A statement of at most this many rows (8 parameters each).
const MAX_BATCH = 200;
// Other instances moving the head this many times in a row is not contention but a fault.
const MAX_ATTEMPTS = 8;
const PREV_HASH_INDEX = 'audit_log_prev_hash_key';

function isFork(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e.code === '23505' && (e.constraint === PREV_HASH_INDEX || String(e.message ?? '').includes(PREV_HASH_INDEX));
}

type OutboxRow = { id: string; at: string; type: string; subject_index: string | null; client_id: string | null; source: string | null; data: string };

export interface ChainWriter {
  append(row: ChainRow): Promise<void>;
  /** Chains these audit_outbox rows (already committed); rows someone else chained meanwhile are skipped. */
  chainOutbox(ids: readonly string[]): Promise<void>;
  /** Chains every outbox row older than `olderThanMs`; returns how many it found. */
  sweep(olderThanMs: number): Promise<number>;
}

export function createChainWriter(db: Database): ChainWriter {
  let head: Head | null = null;
  let queue: Pending[] = [];
  let draining = false;

  async function readHead(q: Queryable): Promise<Head> {
    const { rows } = await q.query<{ hash: string; at: string }>(
      `SELECT hash, ${isoUtc('at')} AS at FROM audit_log ORDER BY seq DESC LIMIT 1`,
    );
    return rows[0] ?? { hash: GENESIS_HASH, at: '' };
  }

  /** Links rows after `from` (each at its own time, or now; never before its predecessor) and inserts them in one statement. */
  async function link(q: Queryable, from: Head, rows: ReadonlyArray<ChainRow & { at?: string }>): Promise<Head> {
    const now = new Date().toISOString();
    let { hash: prevHash, at: prevAt } = from;
    const params: unknown[] = [];
    const values: string[] = [];
    for (const r of rows) {
      // `at` never runs backwards along the chain, whatever the clocks of several instances say
      const wanted = r.at ?? now;
      const at = wanted > prevAt ? wanted : prevAt;
      const hash = rowHash({ prevHash, at, type: r.type, subjectIndex: r.subjectIndex, clientId: r.clientId, source: r.source, data: r.data });
      const n = params.length;
      values.push(`($${n + 1}::timestamptz, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}::jsonb, $${n + 7}, $${n + 8})`);
      params.push(at, r.type, r.subjectIndex, r.clientId, r.source, canonicalJson(r.data), prevHash, hash);
      prevHash = hash;
      prevAt = at;
    }
    if (values.length) {
      await q.query(
        `INSERT INTO audit_log (at, type, subject_index, client_id, source, data, prev_hash, hash) VALUES ${values.join(', ')}`,
        params,
      );
    }
    return { hash: prevHash, at: prevAt };
  }

  /** Inserts `rows` (and moves outbox rows `ids`) after the head; retries when the head moved. */
  async function insert(rows: readonly ChainRow[], ids: readonly string[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!ids.length) {
          head = await link(db, head ?? (await readHead(db)), rows);
        } else {
          const known = head;
          head = await db.transaction(async (tx) => {
            // claims the rows: a second mover waits here, then finds them gone
            const { rows: moved } = await tx.query<OutboxRow>(
              `DELETE FROM audit_outbox WHERE id = ANY($1::bigint[])
               RETURNING id::text AS id, ${isoUtc('at')} AS at, type, subject_index, client_id, source, data::text AS data`,
              [ids],
            );
            moved.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
            const fromOutbox = moved.map((m) => ({
              at: m.at,
              type: m.type,
              subjectIndex: m.subject_index,
              clientId: m.client_id,
              source: m.source,
              data: JSON.parse(m.data) as Record<string, unknown>,
            }));
            return link(tx, known ?? (await readHead(tx)), [...fromOutbox, ...rows]);
          });
        }
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
        const rowsOf = (ps: Pending[]) => ps.flatMap((p) => ('row' in p ? [p.row] : []));
        const idsOf = (ps: Pending[]) => ps.flatMap((p) => ('outboxIds' in p ? p.outboxIds : []));
        try {
          await insert(rowsOf(batch), idsOf(batch));
          for (const p of batch) p.resolve();
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          // one bad row must not fail the others that happened to share its statement
          else for (const p of batch) await insert(rowsOf([p]), idsOf([p])).then(p.resolve, p.reject);
        }
      }
    } finally {
      draining = false;
    }
  }

  function enqueue(item: { row: ChainRow } | { outboxIds: readonly string[] }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      queue.push({ ...item, resolve, reject });
      if (!draining) void drain();
    });
  }

  return {
    append: (row) => enqueue({ row }),
    chainOutbox: (ids) => (ids.length ? enqueue({ outboxIds: ids }) : Promise.resolve()),
    async sweep(olderThanMs) {
      let total = 0;
      for (;;) {
        const { rows } = await db.query<{ id: string }>(
          `SELECT id::text AS id FROM audit_outbox WHERE at < now() - make_interval(secs => $1) ORDER BY id LIMIT ${MAX_BATCH}`,
          [olderThanMs / 1000],
        );
        if (!rows.length) return total;
        total += rows.length;
        await enqueue({ outboxIds: rows.map((r) => r.id) });
        if (rows.length < MAX_BATCH) return total;
      }
    },
  };
}
