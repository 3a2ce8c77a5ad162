// test-pass: embedded — reads the source tree
/**
 * The core names no login method: it finds one through the methods map, by a capability the
 * contract defines (a staff-issued credential) or by a role in the definitions, never by its
 * id. Only the composition root and the demo may name one, as configuration.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { root, sources } from './source-files.ts';
import { DEFINITIONS } from '../../providers/registry.ts';

/** the composition root and the demo: configuration, allowed to name methods */
const ROOTS = /^src\/(app-context\.ts|main\.ts|sandbox-main\.ts|demo\/)/;
/** literals that spell a method id but are not one (`file: id`, each with its reason) */
const EXCEPTIONS = new Set<string>([
  // the printed slip's HTML element id (id="counter-code"), which pages and tests find the code by
  'src/counter/slip.ts: counter-code',
]);

/** string literals (quoted or template) that are a method id, or begin with one and a separator */
export function methodLiterals(text: string, ids: readonly string[]): string[] {
  const found: string[] = [];
  for (const id of ids) {
    const escaped = id.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');
    if (new RegExp(`['"\`]${escaped}(?:['"\`:/.]|\\$\\{)`).test(text)) found.push(id);
  }
  return found;
}

describe('method ids in the core', () => {
  const ids = DEFINITIONS.map((d) => d.id);

  it('spots a method id however it is quoted', () => {
    assert.deepEqual(methodLiterals(`get('counter-code')`, ids), ['counter-code']);
    assert.deepEqual(methodLiterals('key: `id-card-password:${n}`', ids), ['id-card-password']);
    assert.deepEqual(methodLiterals(`t(lang, 'faceMatch'); 'sms-otpx'; "the face"`, ids), []);
  });

  it('has no method id literal under src/ outside the composition root and the demo', async () => {
    const stray: string[] = [];
    for (const file of await sources('src')) {
      if (ROOTS.test(file)) continue;
      const text = await readFile(path.join(root, file), 'utf8');
      for (const id of methodLiterals(text, ids)) if (!EXCEPTIONS.has(`${file}: ${id}`)) stray.push(`${file}: ${id}`);
    }
    assert.deepEqual(stray, []);
  });
});
