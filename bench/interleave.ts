/** Measures phases in alternating rounds, so load that comes and goes on the machine hits each side alike. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Phase } from './load.ts';

// lets the previous window's stragglers (in-flight requests, deferred writes) drain first
const settle = () => sleep(200);

/** Each group in rounds, A B C then C B A, … so a linear drift cancels out. */
export async function interleave(rounds: number, groups: ReadonlyArray<readonly Phase[]>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const group of groups) {
      for (const p of round % 2 ? [...group].reverse() : group) {
        const w = await p.measure();
        console.error(`  round ${round + 1}: ${p.name}: ${(w.ok / w.seconds).toFixed(1)}/s${w.errors ? `, ${w.errors} errors` : ''}`);
        await settle();
      }
    }
  }
}
