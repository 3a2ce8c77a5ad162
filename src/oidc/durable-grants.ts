/**
 * Refresh tokens, and a copy of the grant each was issued under, in PostgreSQL: offline access
 * must survive the loss of Redis. Only grants that get a refresh token are written here, so a
 * login without offline access costs no PostgreSQL write.
 */
import type { AdapterPayload } from 'oidc-provider';
import type { Database } from '../store/database.ts';
import { logBackgroundFailure } from '../log.ts';

// a rotated refresh token is kept this long so a late replay of it is still seen (and revokes)
const CONSUMED_KEEP = '1 day';
// every this many refresh tokens written, rows past their expiry are deleted
const SWEEP_EVERY = 200;

export interface DurableGrants {
  /** Stores a refresh token, and the grant's current payload when given. */
  saveRefreshToken(id: string, payload: AdapterPayload, grant: AdapterPayload | undefined): Promise<void>;
  findRefreshToken(id: string): Promise<AdapterPayload | undefined>;
  /** Marks it consumed; `first` only for the one call that did (of any number at once). */
  consumeRefreshToken(id: string): Promise<{ first: boolean; grantId?: string }>;
  destroyRefreshToken(id: string): Promise<void>;
  findGrant(id: string): Promise<AdapterPayload | undefined>;
  destroyGrant(id: string): Promise<void>;
  /** Deletes every refresh token of the grant and the grant's copy. */
  revokeGrant(grantId: string): Promise<void>;
  /** The grants of an account to a client that hold refresh tokens or a copy here. */
  grantIdsFor(accountId: string, clientId: string): Promise<string[]>;
  /** Deletes rows past their expiry (also run every SWEEP_EVERY refresh tokens written). */
  sweep(): Promise<void>;
}

const epoch = (seconds: unknown) => (typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : Math.floor(Date.now() / 1000) + 14 * 24 * 3600);

export function durableGrants(db: Database): DurableGrants {
  let written = 0;

  async function sweep(): Promise<void> {
    await db.query(
      `WITH r AS (DELETE FROM oidc_refresh_tokens WHERE expires_at < now())
       DELETE FROM oidc_grants WHERE expires_at < now()`,
    );
  }

  return {
    sweep,

    async saveRefreshToken(id, payload, grant) {
      if (typeof payload.grantId !== 'string') throw new Error('a refresh token without a grant');
      await db.query(
        `WITH g AS (
           INSERT INTO oidc_grants (id, account_id, client_id, payload, expires_at)
           SELECT $2, $7, $8, $9::jsonb, to_timestamp($10) WHERE $9::jsonb IS NOT NULL
           ON CONFLICT (id) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at
         )
         INSERT INTO oidc_refresh_tokens (id, grant_id, account_id, client_id, payload, expires_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, to_timestamp($6))
         ON CONFLICT (id) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at`,
        [
          id,
          payload.grantId,
          String(payload.accountId ?? ''),
          String(payload.clientId ?? ''),
          JSON.stringify(payload),
          epoch(payload.exp),
          String(grant?.accountId ?? ''),
          String(grant?.clientId ?? ''),
          grant ? JSON.stringify(grant) : null,
          epoch(grant?.exp),
        ],
      );
      if (++written % SWEEP_EVERY === 0) {
        // nothing waits on it; the next one tries again
        sweep().catch((err: unknown) => logBackgroundFailure('sweeping expired refresh tokens failed', err));
      }
    },

    async findRefreshToken(id) {
      const { rows } = await db.query<{ payload: AdapterPayload; consumed: string | number | null }>(
        `SELECT payload, floor(extract(epoch FROM consumed_at))::int AS consumed
           FROM oidc_refresh_tokens WHERE id = $1 AND expires_at > now()`,
        [id],
      );
      const row = rows[0];
      if (!row) return undefined;
      return row.consumed === null ? row.payload : { ...row.payload, consumed: Number(row.consumed) };
    },

    async consumeRefreshToken(id) {
      // of concurrent rotations the row lock lets one through; the others re-check the WHERE and miss
      const won = await db.query<{ grant_id: string }>(
        `UPDATE oidc_refresh_tokens
            SET consumed_at = now(), expires_at = least(expires_at, now() + interval '${CONSUMED_KEEP}')
          WHERE id = $1 AND consumed_at IS NULL
          RETURNING grant_id`,
        [id],
      );
      if (won.rowCount === 1) return { first: true, grantId: won.rows[0]!.grant_id };
      const { rows } = await db.query<{ grant_id: string }>('SELECT grant_id FROM oidc_refresh_tokens WHERE id = $1', [id]);
      return { first: false, grantId: rows[0]?.grant_id };
    },

    async destroyRefreshToken(id) {
      await db.query('DELETE FROM oidc_refresh_tokens WHERE id = $1', [id]);
    },

    async findGrant(id) {
      const { rows } = await db.query<{ payload: AdapterPayload }>('SELECT payload FROM oidc_grants WHERE id = $1 AND expires_at > now()', [id]);
      return rows[0]?.payload;
    },

    async destroyGrant(id) {
      await db.query('DELETE FROM oidc_grants WHERE id = $1', [id]);
    },

    async grantIdsFor(accountId, clientId) {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM oidc_grants WHERE account_id = $1 AND client_id = $2
         UNION SELECT grant_id FROM oidc_refresh_tokens WHERE account_id = $1 AND client_id = $2`,
        [accountId, clientId],
      );
      return rows.map((r) => r.id);
    },

    async revokeGrant(grantId) {
      await db.query(
        `WITH r AS (DELETE FROM oidc_refresh_tokens WHERE grant_id = $1)
         DELETE FROM oidc_grants WHERE id = $1`,
        [grantId],
      );
    },
  };
}
