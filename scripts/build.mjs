#!/usr/bin/env node
// `npm run build`: compiles src/ and providers/ to JavaScript in dist/ (tsconfig.build.json) and
// copies the files they read next to themselves (stylesheets and other non-TypeScript assets).
// Folders read from the project root (migrations/, config/, keys/) stay where they are.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

let copied = 0;
function copyAssets(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const from = join(dir, e.name);
    if (e.isDirectory()) copyAssets(from);
    else if (e.isFile() && !e.name.endsWith('.ts') && e.name !== 'README.md') {
      cpSync(from, join(dist, relative(root, from)));
      copied++;
    }
  }
}
for (const top of ['src', 'providers']) copyAssets(join(root, top));
console.log(`compiled to ${relative(root, dist)}/ (${copied} asset file(s) copied)`);
