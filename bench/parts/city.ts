/** Password logins with BENCH_PERSONS persons against 10,000, alternating windows (see city/city.ts). */
import { interleave } from '../interleave.ts';
import { loginPhase } from '../phases/login.ts';
import type { PhaseTiming } from '../phases/timing.ts';
import { startPopulated, TOWN, type Populated } from '../city/city.ts';
import type { LoadResult } from '../load.ts';
import { table } from '../report.ts';

const ROUNDS = 6;
const TIMING: PhaseTiming = { concurrency: 8, warmupMs: 4000, rampMs: 1500, durationMs: 4000 };
export const CITY_TARGET = 0.9;

export interface CityResult {
  persons: number;
  seedSeconds: number;
  seededNow: boolean;
  town: LoadResult;
  city: LoadResult;
  /** city / town, throughput */
  ratio: number;
  lines: string[];
}

export async function runCity(persons: number, log: (line: string) => void): Promise<CityResult> {
  const started: Populated[] = [];
  try {
    log(`city: ${persons.toLocaleString('en')} persons (seeded once, kept in schema bench_city_${persons}) and ${TOWN.toLocaleString('en')}`);
    const city = await startPopulated(persons, log);
    started.push(city);
    const town = await startPopulated(TOWN, log);
    started.push(town);
    const phase = (p: Populated) =>
      loginPhase(TIMING, p.service.issuer, p.service.client, p.person, `password login, ${p.count.toLocaleString('en')} persons`);
    const townPhase = phase(town);
    const cityPhase = phase(city);
    await interleave(ROUNDS, [[townPhase, cityPhase]]);
    const [t, c] = [townPhase.result(), cityPhase.result()];
    const ratio = c.perSecond / t.perSecond;
    const f = (n: number) => n.toFixed(1);
    const seedLine = city.seed.seeded
      ? `seeded now in ${f(city.seed.seconds)} s (${Math.round(persons / city.seed.seconds)} persons/s)`
      : `already seeded (that took ${f(city.seed.seconds)} s)`;
    return {
      persons,
      seedSeconds: city.seed.seconds,
      seededNow: city.seed.seeded,
      town: t,
      city: c,
      ratio,
      lines: [
        `${persons.toLocaleString('en')} persons ${seedLine}: real encrypted ID numbers and names and real blind indexes,` +
          ' but one shared password hash (argon2id for each would take hours)',
        table([t, c]),
        `p95: ${f(t.p95Ms)} ms with ${TOWN.toLocaleString('en')}, ${f(c.p95Ms)} ms with ${persons.toLocaleString('en')}; ` +
          `throughput ${persons.toLocaleString('en')} / ${TOWN.toLocaleString('en')}: ${ratio.toFixed(2)}  ` +
          `${Math.abs(1 - ratio) <= 1 - CITY_TARGET ? 'met' : 'MISSED'} (goal: within 10 %)`,
      ],
    };
  } finally {
    for (const p of started.reverse()) await p.service.close();
  }
}
