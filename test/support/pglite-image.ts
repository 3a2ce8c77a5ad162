/**
 * Embedded PostgreSQL images for tests. A new PGlite runs initdb, and a service then applies
 * every migration: most of an embedded test's start-up. Instead, one instance is made and
 * dumped (`dumpDataDir`) once; every later PGlite loads that copy of the data directory, which
 * is the same cluster the long way would have built.
 *
 * The dump is kept in the system's temporary folder under a name made from the PGlite version
 * and the migrations' names and contents, so test processes share it, a changed migration
 * makes a new one, and a stale one is never used. Several processes may build it at once the
 * first time; each writes its own file and renames it into place, so a reader never sees half.
 *
 * A process of its own (the CLI, the service started as `npm start` does) opens a data
 * directory on disk: `seedDataDir` unpacks the same image there, so its first start neither runs
 * initdb nor migrates.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../src/config/env.ts';
import { createPgliteDatabase, runMigrations } from '../../src/store/index.ts';

export type ImageKind = 'empty' | 'migrated';

const cached = new Map<ImageKind, Promise<{ file: string; image: Blob }>>();

/** A fresh cluster ('empty', as initdb leaves it) or one with the project's migrations applied. */
export async function pgliteImage(kind: ImageKind): Promise<Blob> {
  return (await imageOf(kind)).image;
}

/**
 * A data directory on disk holding that cluster, for a PGlite in another process (`DATA_DIR`):
 * the image is a tar of the data directory, unpacked as it is.
 */
export async function seedDataDir(dir: string, kind: ImageKind): Promise<void> {
  const { file } = await imageOf(kind);
  await mkdir(dir, { recursive: true });
  await promisify(execFile)('tar', ['-xf', file, '-C', dir]);
}

function imageOf(kind: ImageKind): Promise<{ file: string; image: Blob }> {
  let image = cached.get(kind);
  if (!image) {
    image = loadOrBuild(kind);
    cached.set(kind, image);
    // a failed build is not remembered: the next caller tries again
    image.catch(() => cached.delete(kind));
  }
  return image;
}

async function loadOrBuild(kind: ImageKind): Promise<{ file: string; image: Blob }> {
  const file = path.join(tmpdir(), `tongban-pglite-${kind}-${await fingerprint(kind)}.tar`);
  try {
    return { file, image: new Blob([await readFile(file)]) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const db = await createPgliteDatabase({});
  try {
    if (kind === 'migrated') await runMigrations(db);
    const image = await db.dumpDataDir();
    const partial = `${file}.${randomBytes(6).toString('hex')}`;
    await writeFile(partial, new Uint8Array(await image.arrayBuffer()));
    await rename(partial, file);
    return { file, image };
  } finally {
    await db.close();
  }
}

async function fingerprint(kind: ImageKind): Promise<string> {
  const hash = createHash('sha256');
  const pglite = JSON.parse(await readFile(path.join(REPO_ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  hash.update(`pglite ${pglite.version}\n`);
  if (kind === 'migrated') {
    const dir = path.join(REPO_ROOT, 'migrations');
    for (const name of (await readdir(dir)).sort()) hash.update(`${name}\n`).update(await readFile(path.join(dir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}
