/**
 * Compares how long two kinds of request take, for "an unknown account and a wrong secret
 * answer after about the same time". Samples alternate (which kind goes first flips every
 * round) so a burst of load from elsewhere lands on both kinds alike, and the medians are
 * compared: one slow outlier on a busy machine moves a median hardly at all, where it would
 * move a mean or, with few samples, a minimum.
 */

export interface TimingComparison {
  /** median milliseconds of `a` and of `b` */
  a: number;
  b: number;
  /** median(a) / median(b) */
  ratio: number;
  samples: { a: number[]; b: number[] };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Runs `a(i)` and `b(i)` `rounds` times each, alternating which goes first, and compares their medians. */
export async function compareTimings(
  rounds: number,
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
): Promise<TimingComparison> {
  const samples = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    if (i % 2) {
      samples.b.push(await timed(() => b(i)));
      samples.a.push(await timed(() => a(i)));
    } else {
      samples.a.push(await timed(() => a(i)));
      samples.b.push(await timed(() => b(i)));
    }
  }
  const [ma, mb] = [median(samples.a), median(samples.b)];
  return { a: ma, b: mb, ratio: ma / mb, samples };
}

export const describeTimings = (c: TimingComparison): string =>
  `median ratio ${c.ratio.toFixed(2)} (${c.a.toFixed(1)} ms vs ${c.b.toFixed(1)} ms; ` +
  `a: ${c.samples.a.map((x) => x.toFixed(0)).join(',')}; b: ${c.samples.b.map((x) => x.toFixed(0)).join(',')})`;
