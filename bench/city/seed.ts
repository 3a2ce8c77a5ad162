/**
 * Seeds `count` synthetic persons, each with an id-card-password credential, into the service's
 * schema: the same rows enrolment writes (ID number and name encrypted, blind indexes, through
 * the service's own cipher), in multi-row INSERTs of a batch each, with the tables' secondary
 * indexes and foreign key dropped during the load and built again after it (their definitions
 * are kept in bench_seed_ddl meanwhile, so an interrupted seeding puts them back next time).
 * Argon2id for every person is out of reach (20 ms each), so all share one hash of the bench
 * password.
 *
 * Done once: a marker row records the count, the seed version and a value of the blind index
 * key; a later run with the same three skips seeding.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/store/database.ts';
import type { FieldCipher } from '../../src/crypto/field-cipher.ts';
import { parseIdNumber } from '../../src/crypto/id-number.ts';
import { CONTEXT, INDEX_DOMAIN } from '../../src/identity/types.ts';
import { idNumberAt, nameAt } from './persons.ts';

export const SEED_VERSION = 1;
const BATCH = 5000;
// one batch being built while others are written
const IN_FLIGHT = 2;

export interface SeedResult {
  /** false: the marker said the schema already held this city */
  seeded: boolean;
  /** seeding time, this run's or the one recorded by the run that seeded */
  seconds: number;
}

export async function ensureSeeded(
  db: Database,
  cipher: FieldCipher,
  method: string,
  count: number,
  secretHash: () => Promise<string>,
  progress: (line: string) => void,
): Promise<SeedResult> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS bench_seed (
       version int NOT NULL, persons int NOT NULL, index_check text NOT NULL, seconds real NOT NULL,
       seeded_at timestamptz NOT NULL DEFAULT now())`,
  );
  const check = cipher.blindIndex('bench-seed', 'check');
  const marker = await db.query<{ version: number; persons: number; index_check: string; seconds: number }>('SELECT * FROM bench_seed');
  const m = marker.rows[0];
  if (m && m.version === SEED_VERSION && m.persons === count && m.index_check === check) return { seeded: false, seconds: m.seconds };

  const started = Date.now();
  await db.query('DELETE FROM bench_seed');
  await db.query('TRUNCATE persons CASCADE');
  const rebuild = await dropSecondaryIndexes(db);
  const hash = await secretHash();
  const credentialDomain = INDEX_DOMAIN.credential(method);
  let next = 0;
  let done = 0;
  let lastReport = started;

  async function writeBatch(from: number, to: number): Promise<void> {
    const n = to - from;
    const column = () => new Array<string>(n);
    const [ids, credIds, idEnc, idIndex, nameEnc, births, genders, credIndex] = [column(), column(), column(), column(), column(), column(), column(), column()];
    for (let k = 0; k < n; k++) {
      const parsed = parseIdNumber(idNumberAt(from + k));
      if (!parsed.ok) throw new Error(`synthetic ID number ${from + k}: ${parsed.code}`);
      const { idNumber, birthdate, gender } = parsed.value;
      ids[k] = randomUUID();
      credIds[k] = randomUUID();
      idEnc[k] = cipher.encrypt(idNumber, CONTEXT.idNumber);
      idIndex[k] = cipher.blindIndex(INDEX_DOMAIN.idNumber, idNumber);
      nameEnc[k] = cipher.encrypt(nameAt(from + k), CONTEXT.name);
      births[k] = birthdate;
      genders[k] = gender;
      credIndex[k] = cipher.blindIndex(credentialDomain, idNumber);
    }
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO persons (id, id_number_enc, id_number_index, name_enc, birthdate, gender, proofing)
         SELECT id, ie, ii, ne, b, g, 'remote' FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[]) AS t(id, ie, ii, ne, b, g)`,
        [ids, idEnc, idIndex, nameEnc, births, genders],
      );
      await tx.query(
        `INSERT INTO credentials (id, person_id, method, identifier_index, secret_hash)
         SELECT id, pid, $4, ci, $5 FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(id, pid, ci)`,
        [credIds, ids, credIndex, method, hash],
      );
    });
    done += n;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      const s = (lastReport - started) / 1000;
      progress(`  seeded ${done.toLocaleString('en')} of ${count.toLocaleString('en')} persons in ${s.toFixed(0)} s (${Math.round(done / s)}/s)`);
    }
  }

  async function writer(): Promise<void> {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + BATCH);
      await writeBatch(from, next);
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  progress(`  building the indexes (${((Date.now() - started) / 1000).toFixed(0)} s so far)`);
  await rebuild();
  await db.query('ANALYZE persons');
  await db.query('ANALYZE credentials');
  const seconds = (Date.now() - started) / 1000;
  await db.query('INSERT INTO bench_seed (version, persons, index_check, seconds) VALUES ($1, $2, $3, $4)', [SEED_VERSION, count, check, seconds]);
  return { seeded: true, seconds };
}

const TABLES = ['persons', 'credentials'];

/**
 * Drops the unique constraints, foreign keys and plain indexes of persons and credentials (not
 * their primary keys) and returns what builds them again, in that order.
 */
async function dropSecondaryIndexes(db: Database): Promise<() => Promise<void>> {
  await db.query('CREATE TABLE IF NOT EXISTS bench_seed_ddl (seq int PRIMARY KEY, ddl text NOT NULL)');
  const saved = await db.query<{ ddl: string }>('SELECT ddl FROM bench_seed_ddl ORDER BY seq');
  let ddl = saved.rows.map((r) => r.ddl);
  if (ddl.length === 0) {
    const constraints = await db.query<{ tbl: string; name: string; def: string; kind: string }>(
      `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def, c.contype AS kind
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1) AND c.contype IN ('u', 'f')
        ORDER BY c.contype DESC, c.conname`,
      [TABLES],
    );
    const indexes = await db.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)`,
      [TABLES],
    );
    // unique constraints first ('u' sorts after 'f' descending), then plain indexes, foreign keys last
    const uniques = constraints.rows.filter((c) => c.kind === 'u');
    const foreign = constraints.rows.filter((c) => c.kind === 'f');
    ddl = [
      ...uniques.map((c) => `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${c.name} ${c.def}`),
      ...indexes.rows.map((i) => i.def),
      ...foreign.map((c) => `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${c.name} ${c.def}`),
    ];
    await db.transaction(async (tx) => {
      for (const [i, d] of ddl.entries()) await tx.query('INSERT INTO bench_seed_ddl (seq, ddl) VALUES ($1, $2)', [i, d]);
      for (const c of [...foreign, ...uniques]) await tx.query(`ALTER TABLE ${c.tbl} DROP CONSTRAINT ${c.name}`);
      for (const i of indexes.rows) await tx.query(`DROP INDEX ${i.name}`);
    });
  }
  return async () => {
    await db.transaction(async (tx) => {
      for (const d of ddl) await tx.query(d);
      await tx.query('DELETE FROM bench_seed_ddl');
    });
  };
}
