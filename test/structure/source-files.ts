/** The TypeScript files under a folder of the project, as paths from the project root. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/env.ts';

/** the project's sources (also when the suite runs from its compiled copy) */
export const root = REPO_ROOT;

export async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...(await sources(rel)));
    else if (e.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}
