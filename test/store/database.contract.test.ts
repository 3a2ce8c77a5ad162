// test-pass: postgres-redis — runs on PGlite there too, beside PostgreSQL
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/store/database.ts';
import { runMigrations } from '../../src/store/migrate.ts';
import { databaseBackends } from '../support/backends.ts';

const tempDirs: string[] = [];

/** Writes migration files into a new temporary directory. */
async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tongban-migrations-'));
  tempDirs.push(dir);
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
  return dir;
}

after(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

for (const backend of databaseBackends()) {
  describe(`Database contract: ${backend.name}`, () => {
    let db: Database;

    before(async () => {
      db = await backend.open();
    });

    after(() => backend.dispose());

    it('runs a query with parameters', async () => {
      const { rows, rowCount } = await db.query<{ sum: number; label: string }>(
        'SELECT $1::int + $2::int AS sum, $3::text AS label',
        [2, 3, 'x'],
      );
      assert.deepEqual(rows, [{ sum: 5, label: 'x' }]);
      assert.equal(rowCount, 1);
    });

    it('reports affected rows as rowCount', async () => {
      await db.query('CREATE TABLE q_rows (id int PRIMARY KEY)');
      const inserted = await db.query('INSERT INTO q_rows SELECT generate_series(1, 3)');
      assert.equal(inserted.rowCount, 3);
      const updated = await db.query('UPDATE q_rows SET id = id + 10 WHERE id > $1', [1]);
      assert.equal(updated.rowCount, 2);
      const selected = await db.query('SELECT * FROM q_rows');
      assert.equal(selected.rowCount, 3);
    });

    it('commits a transaction', async () => {
      await db.query('CREATE TABLE tx_commit (id int PRIMARY KEY)');
      const result = await db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_commit VALUES ($1)', [1]);
        await tx.query('INSERT INTO tx_commit VALUES ($1)', [2]);
        return 'done';
      });
      assert.equal(result, 'done');
      const { rows } = await db.query<{ id: number }>('SELECT id FROM tx_commit ORDER BY id');
      assert.deepEqual(rows.map((r) => r.id), [1, 2]);
    });

    it('rolls back everything when the function throws', async () => {
      await db.query('CREATE TABLE tx_rollback (id int PRIMARY KEY)');
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO tx_rollback VALUES (1)');
          throw new Error('boom');
        }),
        /boom/,
      );
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO tx_rollback VALUES (2)');
          await tx.query('INSERT INTO tx_rollback VALUES (2)'); // duplicate key
        }),
      );
      const { rowCount } = await db.query('SELECT 1 FROM tx_rollback');
      assert.equal(rowCount, 0);
      // The database stays usable after a failed transaction.
      await db.transaction((tx) => tx.query('INSERT INTO tx_rollback VALUES (3)'));
      assert.equal((await db.query('SELECT 1 FROM tx_rollback')).rowCount, 1);
    });

    it('lets a query issued during a transaction wait rather than fail', async () => {
      await db.query('CREATE TABLE tx_concurrent (id int PRIMARY KEY)');
      const tx = db.transaction(async (t) => {
        await t.query('INSERT INTO tx_concurrent VALUES (1)');
        await new Promise((resolve) => setTimeout(resolve, 50));
        await t.query('INSERT INTO tx_concurrent VALUES (2)');
      });
      const outside = db.query('INSERT INTO tx_concurrent VALUES (3)');
      await Promise.all([tx, outside]);
      assert.equal((await db.query('SELECT 1 FROM tx_concurrent')).rowCount, 3);
    });

    it('returns uuid, text[], jsonb, timestamptz, date and bigserial as the same JS types', async () => {
      await db.query(`
        CREATE TABLE typed (
          seq  bigserial PRIMARY KEY,
          id   uuid NOT NULL DEFAULT gen_random_uuid(),
          tags text[] NOT NULL,
          data jsonb NOT NULL,
          list jsonb NOT NULL,
          at   timestamptz NOT NULL,
          day  date NOT NULL
        )`);
      const at = new Date('2024-05-06T07:08:09.123Z');
      const tags = ['openid', 'with,comma', 'with "quote"', ''];
      const data = { nested: { n: 1, s: 'x' }, list: [1, 'two'], flag: true };
      await db.query('INSERT INTO typed (tags, data, list, at, day) VALUES ($1, $2, $3, $4, $5)', [
        tags,
        data,
        JSON.stringify([1, 2, 3]),
        at,
        '2001-02-03',
      ]);
      const { rows } = await db.query<{
        seq: unknown;
        id: unknown;
        tags: unknown;
        data: unknown;
        list: unknown;
        at: unknown;
        day: unknown;
      }>('SELECT * FROM typed');
      const row = rows[0];
      assert.ok(row);
      assert.equal(row.seq, '1');
      assert.match(String(row.id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.deepEqual(row.tags, tags);
      assert.deepEqual(row.data, data);
      assert.deepEqual(row.list, [1, 2, 3]);
      assert.ok(row.at instanceof Date);
      assert.equal(row.at.getTime(), at.getTime());
      assert.equal(row.day, '2001-02-03');

      const counts = await db.query<{ n: unknown; big: unknown }>(
        "SELECT count(*) AS n, 9007199254740993::int8 AS big, '{1,2}'::int8[] AS arr",
      );
      assert.deepEqual(counts.rows[0], { n: '1', big: '9007199254740993', arr: ['1', '2'] });
    });

    // Migration tests share one database (a PGlite start costs seconds): schema_migrations is
    // keyed by file name, so each test uses its own file and table names.

    it('applies each migration once, in order, and nothing on a second run', async () => {
      const dir = await migrationsDir({
        '0001_once_first.sql': `
          -- a comment; with a semicolon
          CREATE TABLE once_first (id int PRIMARY KEY);
          INSERT INTO once_first VALUES (1);
        `,
        '0002_once_second.sql': `
          CREATE TABLE once_second (id int PRIMARY KEY, note text);
          DO $$ BEGIN INSERT INTO once_second VALUES (1, 'a;b'); END $$;
          INSERT INTO once_second VALUES (2, 'c');
        `,
        'README.md': 'not a migration',
      });
      const first = await runMigrations(db, dir);
      assert.deepEqual(first.applied, ['0001_once_first.sql', '0002_once_second.sql']);
      const second = await runMigrations(db, dir);
      assert.deepEqual(second.applied, []);
      const { rows } = await db.query<{ id: number; note: string }>('SELECT id, note FROM once_second ORDER BY id');
      assert.deepEqual(rows, [
        { id: 1, note: 'a;b' },
        { id: 2, note: 'c' },
      ]);
      const recorded = await db.query<{ name: string; applied_at: unknown }>(
        "SELECT name, applied_at FROM schema_migrations WHERE name LIKE '%once%' ORDER BY name",
      );
      assert.deepEqual(recorded.rows.map((r) => r.name), ['0001_once_first.sql', '0002_once_second.sql']);
      assert.ok(recorded.rows[0]?.applied_at instanceof Date);
    });

    it('applies each migration exactly once when two runs start at the same time', async () => {
      const dir = await migrationsDir({
        '0001_race_first.sql': 'CREATE TABLE race_first (id int PRIMARY KEY); INSERT INTO race_first VALUES (1);',
        '0002_race_second.sql': 'CREATE TABLE race_second (id int PRIMARY KEY); INSERT INTO race_second VALUES (1);',
        '0003_race_third.sql': 'INSERT INTO race_first VALUES (2);',
      });
      const [a, b] = await Promise.all([runMigrations(db, dir), runMigrations(db, dir)]);
      assert.deepEqual([...a.applied, ...b.applied].sort(), [
        '0001_race_first.sql',
        '0002_race_second.sql',
        '0003_race_third.sql',
      ]);
      const recorded = await db.query("SELECT 1 FROM schema_migrations WHERE name LIKE '%race%'");
      assert.equal(recorded.rowCount, 3);
      assert.equal((await db.query('SELECT 1 FROM race_first')).rowCount, 2);
    });

    it('applies a failing migration not at all and stops there', async () => {
      const dir = await migrationsDir({
        '0001_bad_ok.sql': 'CREATE TABLE bad_ok (id int);',
        '0002_bad_half.sql': 'CREATE TABLE bad_half (id int); SELECT no_such_function();',
        '0003_bad_after.sql': 'CREATE TABLE bad_after (id int);',
      });
      await assert.rejects(runMigrations(db, dir));
      const { rows } = await db.query<{ name: string }>("SELECT name FROM schema_migrations WHERE name LIKE '%bad%'");
      assert.deepEqual(rows.map((r) => r.name), ['0001_bad_ok.sql']);
      const tables = await db.query<{ t: string | null }>(
        "SELECT to_regclass('bad_half')::text AS t UNION ALL SELECT to_regclass('bad_after')::text",
      );
      assert.deepEqual(tables.rows, [{ t: null }, { t: null }]);
    });

    it("applies the project's own migrations", async () => {
      const { applied } = await runMigrations(db);
      assert.ok(applied.length > 0);
      assert.deepEqual(applied, [...applied].sort());
      assert.deepEqual((await runMigrations(db)).applied, []);
    });
  });
}
