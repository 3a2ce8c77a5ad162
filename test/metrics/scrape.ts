/** Reads a Prometheus text page: the value of one series, found by its name and exact label set. */
import assert from 'node:assert/strict';

export type Labels = Record<string, string>;

function labelsOf(text: string): Labels {
  const out: Labels = {};
  for (const m of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

const same = (a: Labels, b: Labels) => Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);

/** The series' value, or 0 when the page does not have it yet (a counter nobody has touched). */
export function seriesValue(page: string, name: string, labels: Labels = {}): number {
  for (const line of page.split('\n')) {
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    if (same(labelsOf(m[2] ?? ''), labels)) return Number(m[3]);
  }
  return 0;
}

/** Scrapes `url` now; `delta(after, …)` says how far a series moved since. */
export async function scrape(url: string): Promise<{ page: string; delta(later: { page: string }, name: string, labels?: Labels): number }> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const page = await res.text();
  return { page, delta: (later, name, labels = {}) => seriesValue(later.page, name, labels) - seriesValue(page, name, labels) };
}
