/** Runs the `tongban` CLI as operators do, in its own process, on folders under `dir`. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/config/env.ts';
import { entryArgs } from './entry.ts';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * DATABASE_URL and REDIS_URL are removed for the child even when the test's environment sets
 * them: the configuration has no schema option to isolate a run in a shared PostgreSQL, so the
 * CLI runs on embedded PGlite and the in-process store here (the store contract tests cover both
 * servers). A test that passes them in `env` (a database of its own, or a URL whose `options`
 * set the search_path to a running stack's schema) keeps them.
 */
export function runTongban(dir: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    DATA_DIR: join(dir, 'data'),
    KEYS_DIR: join(dir, 'keys'),
    CLIENTS_DIR: join(dir, 'clients'),
    NODE_ENV: 'development',
    ...env,
  };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  if (!env.REDIS_URL) delete childEnv.REDIS_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entryArgs('src/cli/tongban.ts'), ...args], {
      cwd: REPO_ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function assertExit(run: Run, code: number): void {
  assert.equal(run.code, code, `exit ${run.code}, expected ${code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
}
