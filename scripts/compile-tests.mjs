// The test suite runs from JavaScript compiled once per change of the sources, not through tsx:
// a test process (and every CLI or service process a test starts) then loads plain modules
// instead of sending each of its hundreds of imports through a loader thread, which cost a
// test process about three seconds of CPU before it ran anything.
//
// esbuild, the compiler tsx itself uses, turns each file into one module of its own: every
// import stays an import (relative ones renamed from .ts to .js), so the modules and their
// order are exactly those of the sources. Files the code reads next to itself (stylesheets,
// page scripts) are copied alongside. The output lives in .test-build/<fingerprint of the
// sources>/, so runs of the same sources share it, a changed file makes a new one, and two
// runs at once never write into the same folder.
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import * as esbuild from 'esbuild';

const TOPS = ['src', 'providers', 'test', 'bench'];
const DONE = '.complete';
// a build no run has used for this long is removed by the next run
const STALE_MS = 6 * 3600_000;

function walk(root, dir, out) {
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') walk(root, rel, out);
    } else if (e.isFile()) out.push(rel);
  }
  return out;
}

/** Rewrites relative imports to the compiled file names and leaves every import in place. */
const keepImports = {
  name: 'keep-imports',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const relativePath = args.path.startsWith('./') || args.path.startsWith('../');
      return { path: relativePath ? args.path.replace(/\.ts$/, '.js') : args.path, external: true };
    });
  },
};

/** Compiles the sources once for these contents; returns the folder that mirrors the project. */
export async function compileForTests(root) {
  const files = TOPS.flatMap((top) => (existsSync(join(root, top)) ? walk(root, top, []) : [])).sort();
  const hash = createHash('sha256');
  hash.update(readFileSync(join(root, 'package-lock.json')));
  for (const f of files) hash.update(`${f}\n`).update(readFileSync(join(root, f)));
  const base = join(root, '.test-build');
  const dir = join(base, hash.digest('hex').slice(0, 16));
  prune(base, dir);
  if (existsSync(join(dir, DONE))) {
    const now = new Date();
    utimesSync(dir, now, now);
    return dir;
  }

  const partial = `${dir}.${randomBytes(4).toString('hex')}`;
  const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: sources,
    outdir: partial,
    outbase: '.',
    bundle: true,
    plugins: [keepImports],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const f of files) {
    if (!f.endsWith('.ts') && !f.endsWith('.md')) cpSync(join(root, f), join(partial, f));
  }
  writeFileSync(join(partial, DONE), `${sources.length} modules\n`);
  try {
    renameSync(partial, dir);
  } catch (err) {
    // another run built the same sources first: use theirs
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(dir, DONE))) throw err;
  }
  return dir;
}

function prune(base, keep) {
  mkdirSync(base, { recursive: true });
  const now = Date.now();
  for (const name of readdirSync(base)) {
    const full = join(base, name);
    if (full === keep) continue;
    try {
      if (now - statSync(full).mtimeMs > STALE_MS) rmSync(full, { recursive: true, force: true });
    } catch {
      // removed by another run meanwhile
    }
  }
}

/** The compiled file for a source path relative to the project (`test/x.test.ts`). */
export function compiledPath(dir, file) {
  return join(dir, file.replace(/\.ts$/, '.js')).split(sep).join('/');
}

