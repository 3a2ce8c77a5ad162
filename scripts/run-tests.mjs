#!/usr/bin/env node
// The project's test command. Node 20's --test does not expand globs, so the file list is
// built here. Arguments filter files by substring (`npm test -- store`); arguments that
// start with "-" are passed to node (`npm test -- --test-name-pattern=replay`).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism, constants } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function findTests(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (err.code === 'ENOENT') return [];
    throw err;
  }
  return entries.flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : findTests(full);
    return e.isFile() && e.name.endsWith('.test.ts') ? [relative(root, full).split(sep).join('/')] : [];
  });
}

const args = process.argv.slice(2);
const nodeFlags = args.filter((a) => a.startsWith('-'));
const filters = args.filter((a) => !a.startsWith('-'));

const files = findTests(join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

if (files.length === 0) {
  console.error(`No test files found under test/${filters.length ? ` matching ${filters.join(', ')}` : ''}.`);
  process.exit(1);
}

// An empty variable counts as unset, the same rule the service uses to pick embedded backends.
const database = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
const ephemeral = process.env.REDIS_URL ? 'Redis (REDIS_URL)' : 'in-process store';
// Each file runs in its own process with its own service, schema and key prefix, so files run
// side by side. A file spends much of its time waiting (HTTP round trips, the sandbox,
// PostgreSQL, Redis), so one more file than there are cores keeps the cores busy;
// TEST_CONCURRENCY overrides (1 runs the files one at a time).
const concurrency = Number.parseInt(process.env.TEST_CONCURRENCY ?? '', 10) || availableParallelism() + 1;
console.log(`Backends: database = ${database}; ephemeral store = ${ephemeral}; ${files.length} test file(s), ${concurrency} at a time`);

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...nodeFlags, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'test' } },
);

// Let the children wind down (close servers, stop PGlite) before this process goes.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}

child.on('error', (err) => {
  console.error(`Could not start the test runner: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
