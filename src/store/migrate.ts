import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../config/env.ts';
import type { Database, Queryable } from './database.ts';

const DEFAULT_DIR = join(REPO_ROOT, 'migrations');
const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

// Fixed key for pg_advisory_xact_lock, shared by every instance migrating the same database.
const LOCK_KEY = 7_204_118_301;

/**
 * Applies migrations/NNNN_name.sql in order, each in its own transaction, forward-only.
 * Several instances may start at once: every transaction first takes a transaction-scoped
 * advisory lock and re-checks schema_migrations, so each file is applied exactly once.
 * (A transaction-scoped lock needs no dedicated connection and is released even if the
 * process dies mid-migration.) Files must not contain BEGIN/COMMIT themselves.
 */
export async function runMigrations(db: Database, dir: string = DEFAULT_DIR): Promise<{ applied: string[] }> {
  const files = await listMigrations(dir);

  const done = await db.transaction(async (tx) => {
    await lock(tx);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         name text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await tx.query<{ name: string }>('SELECT name FROM schema_migrations');
    return new Set(rows.map((row) => row.name));
  });

  const applied: string[] = [];
  for (const name of files) {
    if (done.has(name)) continue;
    const sql = await readFile(join(dir, name), 'utf8');
    const didApply = await db.transaction(async (tx) => {
      await lock(tx);
      // Another instance may have applied it while this one waited for the lock.
      const { rowCount } = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [name]);
      if (rowCount > 0) return false;
      if (tx.exec) await tx.exec(sql);
      else await tx.query(sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      return true;
    });
    if (didApply) applied.push(name);
  }
  return { applied };
}

async function lock(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
}

async function listMigrations(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => FILE_NAME.test(name)).sort();
  const seen = new Map<string, string>();
  for (const name of names) {
    const number = name.slice(0, 4);
    const other = seen.get(number);
    if (other !== undefined) throw new Error(`two migrations share number ${number}: ${other}, ${name}`);
    seen.set(number, name);
  }
  return names;
}
