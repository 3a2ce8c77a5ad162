#!/usr/bin/env node
// `npm start` (and `npm run tongban`): one command for both ways the service runs.
//   - development (`npm install && npm start`): the TypeScript sources through tsx, no build step;
//   - production (`npm run build`, `npm ci --omit=dev`, `npm start`): the compiled JavaScript
//     in dist/, with no tsx and no TypeScript at run time.
// The compiled output runs when NODE_ENV=production or when tsx is not installed (dependencies
// installed with --omit=dev); otherwise the sources run, so a stale dist/ never shadows them.
// `node scripts/start.mjs tongban <command>` runs the operators' CLI the same way.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = { main: 'src/main.ts', tongban: 'src/cli/tongban.ts' };

// the entry's name leaves argv, so the entry sees its own arguments (and cluster workers,
// forked with this script and the same arguments, start the same entry)
const name = Object.hasOwn(ENTRIES, process.argv[2] ?? '') ? process.argv.splice(2, 1)[0] : 'main';
const source = ENTRIES[name];
const compiled = join(root, 'dist', source.replace(/\.ts$/, '.js'));

async function tsxLoaded() {
  if (process.env.NODE_ENV === 'production') return false;
  try {
    await import('tsx');
    return true;
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND') return false;
    throw err;
  }
}

if (await tsxLoaded()) {
  await import(pathToFileURL(join(root, source)).href);
} else if (existsSync(compiled)) {
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(compiled).href);
} else {
  console.error(
    `${compiled} is missing: the compiled service runs when NODE_ENV=production or without development dependencies; run npm run build first.`,
  );
  process.exit(1);
}
