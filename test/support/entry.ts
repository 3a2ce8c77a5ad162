/**
 * How a test starts one of our entry points in a process of its own. `npm test` runs the suite
 * from its compiled copy (scripts/compile-tests.mjs): the process then runs the compiled entry
 * next to this file's own compiled copy, with source maps. A test file run from the sources
 * (`node --import tsx --test test/…`) starts the TypeScript source through tsx, as before.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../src/config/env.ts';

const HERE = fileURLToPath(import.meta.url);
const COMPILED = HERE.endsWith('.js');
/** the folder that mirrors the project: the compiled copy, or the project itself */
const TREE = path.resolve(path.dirname(HERE), '..', '..');

export type Entry = 'src/main.ts' | 'src/cli/tongban.ts';

/** Node's arguments that run `entry` (before the entry's own arguments). */
export function entryArgs(entry: Entry): string[] {
  return COMPILED ? ['--enable-source-maps', path.join(TREE, entry.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', path.join(REPO_ROOT, entry)];
}

/** The file name a module of ours has in the tree this suite runs from (`driver.ts` → `driver.js` when compiled). */
export function moduleFile(file: string): string {
  return COMPILED ? file.replace(/\.ts$/, '.js') : file;
}
