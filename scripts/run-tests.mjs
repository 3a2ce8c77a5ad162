#!/usr/bin/env node
// The project's test command. Node 20's --test does not expand globs, so the file list is
// built here. Arguments filter files by substring (`npm test -- store`); arguments that
// start with "-" are passed to node (`npm test -- --test-name-pattern=replay`).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, constants } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileForTests, compiledPath } from './compile-tests.mjs';

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

const named = findTests(join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

if (named.length === 0) {
  console.error(`No test files found under test/${filters.length ? ` matching ${filters.join(', ')}` : ''}.`);
  process.exit(1);
}

// An empty variable counts as unset, the same rule the service uses to pick embedded backends.
const database = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
const ephemeral = process.env.REDIS_URL ? 'Redis (REDIS_URL)' : 'in-process store';

// The suite runs twice in CI: once on the embedded backends, once on PostgreSQL + Redis. A file
// whose subject does not depend on the backend (parsing, crypto, the sandbox, the code's
// structure, a store of the test's own) runs in one pass only. It says which, and why, in a
// line of its own near the top:
//   // test-pass: embedded — pure parsing, no store
// A folder can say it for all its files here (a file's own line wins). Naming files on the
// command line runs them whatever the pass.
const PASSES = { embedded: 'the embedded pass', 'postgres-redis': 'the PostgreSQL + Redis pass' };
const FOLDER_PASS = [
  { folder: 'test/browser/', pass: 'postgres-redis', why: 'pages in Chromium: what the browser sees does not depend on the store' },
];
const MARKER = /^\/\/ test-pass: (embedded|postgres-redis)\b[\s—:-]*(.*)$/m;
const thisPass = process.env.DATABASE_URL || process.env.REDIS_URL ? 'postgres-redis' : 'embedded';

function passOf(file) {
  const own = MARKER.exec(readFileSync(join(root, file), 'utf8').slice(0, 4000));
  if (own) return { pass: own[1], why: own[2].trim() || 'no reason given' };
  return FOLDER_PASS.find((rule) => file.startsWith(rule.folder));
}

const elsewhere = [];
const files = named.filter((file) => {
  const once = passOf(file);
  if (!once || once.pass === thisPass || filters.length > 0) return true;
  elsewhere.push(`  ${file} — ${once.why}`);
  return false;
});
if (elsewhere.length > 0) {
  const other = thisPass === 'embedded' ? 'postgres-redis' : 'embedded';
  console.log(`Left out: ${elsewhere.length} file(s) run once, in ${PASSES[other]} (name a file to run it here):\n${elsewhere.join('\n')}`);
}
// Each file runs in its own process with its own service, schema and key prefix, so files run
// side by side. A file spends much of its time waiting (HTTP round trips, the sandbox,
// PostgreSQL, Redis), so one more file than there are cores keeps the cores busy;
// TEST_CONCURRENCY overrides (1 runs the files one at a time).
const concurrency = Number.parseInt(process.env.TEST_CONCURRENCY ?? '', 10) || availableParallelism() + 1;
console.log(`Backends: database = ${database}; ephemeral store = ${ephemeral} (${PASSES[thisPass]}); ${files.length} test file(s), ${concurrency} at a time`);

// The files run from a compiled copy (see compile-tests.mjs); TEST_FROM_SOURCES=1 runs the
// TypeScript sources through tsx instead, as a single file can always be run by hand.
const fromSources = ['1', 'true'].includes(process.env.TEST_FROM_SOURCES ?? '');
let runnable = files;
let loader = ['--import', 'tsx'];
if (!fromSources) {
  const started = Date.now();
  const tree = await compileForTests(root);
  runnable = files.map((f) => compiledPath(tree, f));
  loader = ['--enable-source-maps'];
  console.log(`Compiled for this run in ${((Date.now() - started) / 1000).toFixed(1)} s: ${relative(root, tree)}/`);
}

const child = spawn(
  process.execPath,
  [...loader, '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...nodeFlags, ...runnable],
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
