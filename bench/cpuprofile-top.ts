/**
 * Summarises a .cpuprofile (from `node --cpu-prof`): self time by function and by package.
 *   tsx bench/cpuprofile-top.ts FILE [FROM_US TO_US]
 * FROM_US/TO_US (the profile's clock, microseconds) keep only the samples of one window;
 * `-N` alone keeps the last N seconds (e.g. the measured run, after start-up).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  if (!url) return '(native/vm)';
  if (url.includes('deps/undici')) return 'undici (fetch)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return 'node core';
  const own = /\/work\/main\/([^/]+\/[^/]+)/.exec(url);
  return own ? own[1]! : url;
}

const [file, from, to] = process.argv.slice(2);
if (!file) throw new Error('usage: cpuprofile-top.ts FILE [FROM_US TO_US]');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const end = p.startTime + p.timeDeltas.reduce((a, b) => a + b, 0);
const lastSeconds = from?.startsWith('-') ? -Number(from) : undefined;
const lo = lastSeconds !== undefined ? end - lastSeconds * 1e6 : from ? Number(from) : -Infinity;
const hi = lastSeconds === undefined && to ? Number(to) : Infinity;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
// node core and native frames are charged to the nearest caller that is a package or our code,
// so that e.g. an HMAC shows up under whoever asked for it
function owner(id: number): string {
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    if (!f.url && f.functionName.startsWith('(') && f.functionName !== '(root)') return f.functionName;
    const w = where(f.url);
    if (w !== 'node core' && w !== '(native/vm)') return w;
  }
  return 'node core (no caller: I/O, microtasks)';
}
const fn = new Map<string, number>();
const pkg = new Map<string, number>();
const owned = new Map<string, number>();
let t = p.startTime;
let total = 0;
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i]!;
  if (t < lo || t > hi) continue;
  const dt = p.timeDeltas[i + 1] ?? 0;
  const n = byId.get(p.samples[i]!)!;
  const f = n.callFrame;
  const name = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${f.lineNumber + 1}` : ''}`;
  fn.set(name, (fn.get(name) ?? 0) + dt);
  const group = f.functionName.startsWith('(') && !f.url ? f.functionName : where(f.url);
  pkg.set(group, (pkg.get(group) ?? 0) + dt);
  const o = owner(n.id);
  owned.set(o, (owned.get(o) ?? 0) + dt);
  total += dt;
}
// TOP and TOPFN: how many rows the second and third lists show
const rows = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: a whole number >= 1`);
  return n;
};
const top = (m: Map<string, number>, k: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`)
    .join('\n');
console.log(`${(total / 1e6).toFixed(1)} s sampled\n\nself time by package:\n${top(pkg, 15)}`);
console.log(`\nself time, node core charged to its nearest non-core caller:\n${top(owned, rows('TOP', 20))}`);
console.log(`\nself time by function:\n${top(fn, rows('TOPFN', 30))}`);
