/**
 * Proxy mandates in PostgreSQL: who may act for whom, at which departments, for which scopes,
 * until when. Every write takes the caller's transaction, so its audit rows commit with it.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../store/database.ts';

export type CreatedVia = 'online' | 'counter';

export interface Mandate {
  readonly id: string;
  readonly citizenId: string;
  readonly helperId: string;
  readonly clientIds: readonly string[];
  readonly scopes: readonly string[];
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly createdVia: CreatedVia;
  readonly acceptedAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface NewMandate {
  citizenId: string;
  helperId: string;
  clientIds: readonly string[];
  scopes: readonly string[];
  validFrom: Date;
  validUntil: Date;
  createdVia: CreatedVia;
  /** a mandate made at a counter with both present is accepted when it is made */
  accepted?: boolean;
}

interface Row {
  id: string;
  citizen_id: string;
  helper_id: string;
  client_ids: string[];
  scopes: string[];
  valid_from: Date | string;
  valid_until: Date | string;
  created_via: CreatedVia;
  accepted_at: Date | string | null;
  revoked_at: Date | string | null;
}

const COLUMNS = 'id, citizen_id, helper_id, client_ids, scopes, valid_from, valid_until, created_via, accepted_at, revoked_at';
/**
 * With a mandate accepted (`m`, in the same statement): the helper's person carries the end of
 * their latest mandate, read with them at every sign-in, so that only a helper's sign-in looks
 * their mandates up (offerOnBehalf). Revoking leaves it: the look-up then finds nothing.
 */
const MARK_HELPER = `h AS (
           UPDATE persons p SET helps_until = GREATEST(p.helps_until, m.valid_until)
             FROM m WHERE p.id = m.helper_id AND m.accepted_at IS NOT NULL
         )`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const dateOrNull = (v: Date | string | null) => (v === null ? null : new Date(v));

function toMandate(r: Row): Mandate {
  return {
    id: r.id,
    citizenId: r.citizen_id,
    helperId: r.helper_id,
    clientIds: [...r.client_ids],
    scopes: [...r.scopes],
    validFrom: new Date(r.valid_from),
    validUntil: new Date(r.valid_until),
    createdVia: r.created_via,
    acceptedAt: dateOrNull(r.accepted_at),
    revokedAt: dateOrNull(r.revoked_at),
  };
}

export interface MandateStore {
  create(m: NewMandate, tx: Queryable): Promise<Mandate>;
  get(id: string): Promise<Mandate | null>;
  /** the helper accepts a pending request made to them; false when there is none (taken, revoked, ended, someone else's) */
  accept(id: string, helperId: string, now: Date, tx: Queryable): Promise<Mandate | null>;
  /** the citizen (or the helper, declining) ends it at once; null when it is not theirs or already ended */
  revoke(id: string, personId: string, now: Date, tx: Queryable): Promise<Mandate | null>;
  /** mandates the person gave or was given that have not ended (revoked or past their end) */
  listFor(personId: string, now: Date): Promise<Mandate[]>;
  /** the mandate is accepted, not revoked and within its dates now (tokens of a proxied sign-in ask this) */
  inForceNow(id: string): Promise<boolean>;
  /** accepted mandates in force now that let `helperId` act at `clientId` */
  inForce(helperId: string, clientId: string, now: Date): Promise<Mandate[]>;
}

export function createMandateStore(db: Database): MandateStore {
  return {
    async create(m, tx) {
      const { rows } = await tx.query<Row>(
        `WITH m AS (
           INSERT INTO proxy_mandates (id, citizen_id, helper_id, client_ids, scopes, valid_from, valid_until, created_via, accepted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9::boolean THEN $6::timestamptz END) RETURNING ${COLUMNS}
         ), ${MARK_HELPER}
         SELECT ${COLUMNS} FROM m`,
        [randomUUID(), m.citizenId, m.helperId, [...m.clientIds], [...m.scopes], m.validFrom, m.validUntil, m.createdVia, m.accepted === true],
      );
      return toMandate(rows[0]!);
    },
    async get(id) {
      if (!UUID.test(id)) return null;
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM proxy_mandates WHERE id = $1`, [id]);
      return rows[0] ? toMandate(rows[0]) : null;
    },
    async accept(id, helperId, now, tx) {
      if (!UUID.test(id)) return null;
      const { rows } = await tx.query<Row>(
        `WITH m AS (
           UPDATE proxy_mandates SET accepted_at = $3
            WHERE id = $1 AND helper_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND valid_until > $3
            RETURNING ${COLUMNS}
         ), ${MARK_HELPER}
         SELECT ${COLUMNS} FROM m`,
        [id, helperId, now],
      );
      return rows[0] ? toMandate(rows[0]) : null;
    },
    async revoke(id, personId, now, tx) {
      if (!UUID.test(id)) return null;
      const { rows } = await tx.query<Row>(
        `UPDATE proxy_mandates SET revoked_at = $3
          WHERE id = $1 AND (citizen_id = $2 OR helper_id = $2) AND revoked_at IS NULL
          RETURNING ${COLUMNS}`,
        [id, personId, now],
      );
      return rows[0] ? toMandate(rows[0]) : null;
    },
    async listFor(personId, now) {
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM proxy_mandates
          WHERE (citizen_id = $1 OR helper_id = $1) AND revoked_at IS NULL AND valid_until > $2
          ORDER BY created_at DESC LIMIT 100`,
        [personId, now],
      );
      return rows.map(toMandate);
    },
    async inForceNow(id) {
      if (!UUID.test(id)) return false;
      const { rows } = await db.query(
        'SELECT 1 FROM proxy_mandates WHERE id = $1 AND accepted_at IS NOT NULL AND revoked_at IS NULL AND valid_from <= now() AND valid_until > now()',
        [id],
      );
      return rows.length === 1;
    },
    async inForce(helperId, clientId, now) {
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM proxy_mandates
          WHERE helper_id = $1 AND $2 = ANY (client_ids) AND accepted_at IS NOT NULL AND revoked_at IS NULL
            AND valid_from <= $3 AND valid_until > $3
          ORDER BY created_at LIMIT 20`,
        [helperId, clientId, now],
      );
      return rows.map(toMandate);
    },
  };
}
