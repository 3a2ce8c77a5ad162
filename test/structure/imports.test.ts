// test-pass: embedded — reads the source tree
/**
 * Dependencies run one way: a login method's folder → providers/kit → the core. The graph is the
 * one dependency-cruiser reads after TypeScript compilation, so type-only imports (gone at run
 * time) do not count. Folders are src/<area> (or a file directly in src/) and
 * providers/<method> (or a file directly in providers/).
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { cruise } from 'dependency-cruiser';
import { REPO_ROOT as root } from '../../src/config/env.ts';

/** runtime imports between our own files: file → files it imports */
let graph: Map<string, Set<string>>;

const ours = (p: string) => /^(src|providers)\//.test(p);
const folderOf = (p: string) => {
  const parts = p.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : p.replace(/\.ts$/, '');
};
/** a method's own folder: providers/<id>/, not the kit */
const methodOf = (p: string) => /^providers\/(?!kit\/)([^/]+)\//.exec(p)?.[1];

/** strongly connected components with more than one member (Tarjan) */
export function cycles(g: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) found.push(c.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('import structure', () => {
  before(async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const result = await cruise(['src', 'providers'], {
        tsPreCompilationDeps: false,
        tsConfig: { fileName: 'tsconfig.json' },
        doNotFollow: { path: 'node_modules' },
        exclude: { path: 'node_modules' },
      });
      if (typeof result.output === 'string') throw new Error('dependency-cruiser answered text, not a graph');
      graph = new Map();
      for (const m of result.output.modules) {
        if (!ours(m.source)) continue;
        graph.set(m.source, new Set(m.dependencies.map((d) => d.resolved).filter(ours)));
      }
    } finally {
      process.chdir(cwd);
    }
  });

  it('reads the whole tree, registry and kit included', () => {
    for (const f of ['providers/registry.ts', 'providers/kit/index.ts', 'src/server.ts', 'providers/sms-otp/index.ts']) {
      assert.ok(graph.has(f), `${f} is missing from the graph`);
    }
    assert.ok(graph.get('providers/registry.ts')!.has('providers/sms-otp/index.ts'), 'the registry imports each method');
  });

  it('has no runtime import cycle between files', () => {
    assert.deepEqual(cycles(graph), []);
  });

  it('has no runtime import cycle between folders', () => {
    const folders = new Map<string, Set<string>>();
    for (const [from, tos] of graph) {
      for (const to of tos) {
        const a = folderOf(from);
        const b = folderOf(to);
        if (a === b) continue;
        if (!folders.has(a)) folders.set(a, new Set());
        folders.get(a)!.add(b);
      }
    }
    assert.deepEqual(cycles(folders), []);
  });

  it('lets a method import only the kit and its own folder', () => {
    const stray: string[] = [];
    for (const [from, tos] of graph) {
      const method = methodOf(from);
      if (!method) continue;
      for (const to of tos) if (!to.startsWith('providers/kit/') && methodOf(to) !== method) stray.push(`${from} -> ${to}`);
    }
    assert.deepEqual(stray, []);
  });

  it('lets the core reach providers/ only at the composition root (registry, sandboxes, demo)', () => {
    const roots = /^src\/(app-context\.ts|main\.ts|sandbox-main\.ts|demo\/)/;
    const stray: string[] = [];
    for (const [from, tos] of graph) {
      if (!from.startsWith('src/') || roots.test(from)) continue;
      for (const to of tos) if (to.startsWith('providers/')) stray.push(`${from} -> ${to}`);
    }
    assert.deepEqual(stray, []);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    assert.deepEqual(cycles(g), [['a', 'b', 'c']]);
  });
});
