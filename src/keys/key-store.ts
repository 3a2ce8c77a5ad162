/**
 * Signing keys in PostgreSQL, encrypted with the data key, so a rotation made on one instance
 * (the admin console) reaches every instance without a restart: the change commits, then
 * 'keys:changed' is announced and each process reads the set again and swaps it into its
 * provider (provider-keystore.ts). The file or environment document of earlier versions stays
 * the source at start: when it differs from the one last taken (an operator rotated it and
 * restarted), it replaces the stored set; when it is unchanged, the console's rotations stand.
 */
import type Provider from 'oidc-provider';
import type { Database, Queryable } from '../store/database.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import { log } from '../log.ts';
import { AppError } from '../errors.ts';
import {
  checkSigningDocument,
  generateSigningKey,
  serialiseDocument,
  toProviderJwks,
  type SigningAlg,
  type SigningDocument,
  type SigningKeyEntry,
} from './signing-keys.ts';
import { checkKeystoreSwap, swapSigningKeys } from './provider-keystore.ts';

export const KEYS_CHANNEL = 'keys:changed';
// pg_advisory_xact_lock key: instances starting together take the source document one at a time
const SOURCE_LOCK = 741_852_963;

export type StoredKeyStatus = 'next' | 'active' | 'retired' | 'removed';

export interface StoredKey {
  kid: string;
  alg: string;
  status: StoredKeyStatus;
  createdAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
  removedAt: string | null;
}

export interface SigningKeyStore {
  /** takes the source document if it changed, puts the stored keys into `provider`, follows announcements; returns the stop function */
  start(provider: Provider): Promise<() => Promise<void>>;
  /** every key with its status, newest first (no key material) */
  list(q?: Queryable): Promise<StoredKey[]>;
  /** a fresh key of `alg`, published (in the JWKS) but not signing yet */
  publishNext(q: Queryable, alg: SigningAlg): Promise<string>;
  /** the NEXT key `kid` signs from now on; the alg's former ACTIVE key stays published as RETIRED */
  activate(q: Queryable, kid: string): Promise<{ alg: string; retired: string | null }>;
  /** a RETIRED or NEXT key leaves the JWKS; its key material is erased */
  remove(q: Queryable, kid: string): Promise<{ alg: string; status: StoredKeyStatus }>;
  /** tells every instance (this one included) to load the keys again */
  announce(): Promise<void>;
  /** loads the stored keys into the provider now (also what an announcement does) */
  reload(): Promise<void>;
}

type Row = {
  kid: string;
  alg: string;
  status: StoredKeyStatus;
  jwk_enc: string | null;
  created_at: string;
  activated_at: string | null;
  retired_at: string | null;
  removed_at: string | null;
};

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const COLUMNS = `kid, alg, status, jwk_enc, ${iso('created_at')} AS created_at, ${iso('activated_at')} AS activated_at,
  ${iso('retired_at')} AS retired_at, ${iso('removed_at')} AS removed_at`;

export function createSigningKeyStore(deps: { db: Database; store: EphemeralStore; cipher: FieldCipher; source: SigningDocument }): SigningKeyStore {
  const { db, store, cipher } = deps;
  const context = (kid: string) => `signing-key:${kid}`;
  let provider: Provider | undefined;
  let queue: Promise<void> = Promise.resolve();

  async function rows(q: Queryable = db): Promise<Row[]> {
    return (await q.query<Row>(`SELECT ${COLUMNS} FROM signing_keys ORDER BY created_at DESC, kid`)).rows;
  }

  async function one(q: Queryable, kid: string): Promise<Row> {
    // FOR UPDATE: two approvals of changes to the same key run one after the other
    const { rows: found } = await q.query<Row>(`SELECT ${COLUMNS} FROM signing_keys WHERE kid = $1 FOR UPDATE`, [kid]);
    if (!found[0]) throw new AppError('admin_key_not_found');
    return found[0];
  }

  function insertEntry(q: Queryable, e: SigningKeyEntry) {
    const { status, created, retired, ...jwk } = e;
    return q.query(
      `INSERT INTO signing_keys (kid, alg, status, jwk_enc, created_at, activated_at, retired_at, removed_at)
       VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now()), CASE WHEN $3 = 'active' THEN now() END, $6::timestamptz, NULL)
       ON CONFLICT (kid) DO UPDATE SET status = EXCLUDED.status, jwk_enc = EXCLUDED.jwk_enc, activated_at = EXCLUDED.activated_at,
         retired_at = EXCLUDED.retired_at, removed_at = NULL`,
      [e.kid, e.alg, status, cipher.encrypt(JSON.stringify(jwk), context(e.kid)), created ?? null, status === 'retired' ? (retired ?? new Date().toISOString()) : null],
    );
  }

  /** The source document replaces the stored keys when it is not the one taken last time. */
  async function takeSource(): Promise<void> {
    const digest = cipher.blindIndex('signing-key-source', serialiseDocument(deps.source));
    await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${SOURCE_LOCK})`);
      const { rows: taken } = await tx.query<{ digest: string }>('SELECT digest FROM signing_key_source WHERE id = 1');
      if (taken[0]?.digest === digest) return;
      await tx.query(`UPDATE signing_keys SET status = 'removed', jwk_enc = NULL, removed_at = now() WHERE status <> 'removed'`);
      for (const e of deps.source.keys) await insertEntry(tx, e);
      await tx.query(
        `INSERT INTO signing_key_source (id, digest) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET digest = EXCLUDED.digest, taken_at = now()`,
        [digest],
      );
      log.info({ kids: deps.source.keys.map((k) => k.kid) }, 'signing keys taken from the key file or environment');
    });
  }

  async function loadIntoProvider(): Promise<void> {
    if (!provider) return;
    const entries: SigningKeyEntry[] = (await rows())
      .filter((r) => r.status !== 'removed' && r.jwk_enc)
      .map((r) => {
        const jwk = JSON.parse(cipher.decrypt(r.jwk_enc!, context(r.kid))) as Record<string, unknown>;
        return { ...jwk, kid: r.kid, alg: r.alg, status: r.status } as SigningKeyEntry;
      });
    const doc = { keys: entries };
    const problems = entries.length ? await checkSigningDocument(doc) : ['no signing keys are stored'];
    // a broken set is never swapped in: the provider keeps signing with what it had
    if (problems.length) {
      log.error({ problems }, 'stored signing keys not loaded');
      return;
    }
    await swapSigningKeys(provider, toProviderJwks(doc));
  }

  const reload = () => {
    // one load at a time, in order: an older read never overwrites a newer one
    queue = queue.then(loadIntoProvider, loadIntoProvider);
    return queue;
  };

  return {
    async start(p) {
      await checkKeystoreSwap(p);
      provider = p;
      await takeSource();
      await reload();
      return store.subscribe(KEYS_CHANNEL, () => {
        reload().catch((err: unknown) => log.error({ err }, 'signing key reload failed'));
      });
    },

    async list(q = db) {
      return (await rows(q)).map((r) => ({
        kid: r.kid,
        alg: r.alg,
        status: r.status,
        createdAt: r.created_at,
        activatedAt: r.activated_at,
        retiredAt: r.retired_at,
        removedAt: r.removed_at,
      }));
    },

    async publishNext(q, alg) {
      const entry = await generateSigningKey(alg, 'next');
      await insertEntry(q, entry);
      return entry.kid;
    },

    async activate(q, kid) {
      const key = await one(q, kid);
      if (key.status !== 'next') throw new AppError('admin_key_not_next');
      const { rows: retired } = await q.query<{ kid: string }>(
        `UPDATE signing_keys SET status = 'retired', retired_at = now() WHERE alg = $1 AND status = 'active' RETURNING kid`,
        [key.alg],
      );
      await q.query(`UPDATE signing_keys SET status = 'active', activated_at = now() WHERE kid = $1`, [kid]);
      return { alg: key.alg, retired: retired[0]?.kid ?? null };
    },

    async remove(q, kid) {
      const key = await one(q, kid);
      if (key.status === 'active') throw new AppError('admin_key_in_use');
      if (key.status === 'removed') throw new AppError('admin_key_not_found');
      await q.query(`UPDATE signing_keys SET status = 'removed', jwk_enc = NULL, removed_at = now() WHERE kid = $1`, [kid]);
      return { alg: key.alg, status: key.status };
    },

    announce: () => store.publish(KEYS_CHANNEL, 'changed'),
    reload,
  };
}
