/**
 * Password (and PIN) hashing with argon2id. The defaults are the OWASP minimum for argon2id
 * (19 MiB, 2 passes, 1 lane); weaker settings are refused unless a test asks for them.
 *
 * A process runs at most `concurrency` hashes at once; the rest wait their turn, in order. The
 * hashes run on libuv's threads (4 unless UV_THREADPOOL_SIZE says otherwise), and more of them
 * at once than the process has cores does not hash faster: it only takes the cores away from
 * the event loop, which answers every other request, from the rest of the sign-in to the token
 * endpoint (on two cores, the service in its own process signed in about a fifth more people
 * a second with two at once than with four). A hash for an unknown person waits in the same
 * line, so it still costs what a wrong password costs.
 */
import argon2 from 'argon2';
import pLimit from 'p-limit';
import type { SecretHasher } from '../../providers/kit/index.ts';

export interface Argon2Params {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export const DEFAULT_ARGON2_PARAMS: Argon2Params = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1 });

export type ConfiguredSecretHasher = SecretHasher & {
  readonly params: Argon2Params;
  /** hashes running now, and waiting their turn */
  load(): { running: number; waiting: number };
};

// Bounds on stored parameters we are willing to run, so a tampered row cannot exhaust memory or CPU.
const MAX_MEMORY_KIB = 1 << 20;
const MAX_TIME_COST = 20;
const MAX_PARALLELISM = 16;

// PHC string format; the argon2 package writes the parameters as m,p,t, others as m,t,p.
const PHC = /^\$argon2(id|i|d)\$v=(\d+)\$([a-z]+=[A-Za-z0-9+/]+(?:,[a-z]+=[A-Za-z0-9+/]+)*)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

interface ParsedHash {
  readonly variant: 'id' | 'i' | 'd';
  readonly version: number;
  readonly params: Argon2Params;
}

function parseHash(hash: string): ParsedHash | null {
  const m = PHC.exec(hash);
  if (!m) return null;
  const fields = new Map(m[3]!.split(',').map((kv) => kv.split('=') as [string, string]));
  const num = (k: string) => (/^\d{1,10}$/.test(fields.get(k) ?? '') ? Number(fields.get(k)) : NaN);
  const params = { memoryCost: num('m'), timeCost: num('t'), parallelism: num('p') };
  if (Object.values(params).some((v) => !Number.isInteger(v))) return null;
  return { variant: m[1] as ParsedHash['variant'], version: Number(m[2]), params };
}

/** True when `hash` is not an argon2id hash with exactly these parameters (so it should be re-made at next login). */
export function needsRehash(hash: string, params: Argon2Params = DEFAULT_ARGON2_PARAMS): boolean {
  const parsed = parseHash(hash);
  if (!parsed || parsed.variant !== 'id' || parsed.version !== 0x13) return true;
  return (
    parsed.params.memoryCost !== params.memoryCost ||
    parsed.params.timeCost !== params.timeCost ||
    parsed.params.parallelism !== params.parallelism
  );
}

// without a number from the configuration: as many at once as libuv runs by default
const DEFAULT_CONCURRENCY = 4;

export function createSecretHasher(
  options: Partial<Argon2Params> & { readonly allowWeak?: boolean; readonly concurrency?: number } = {},
): ConfiguredSecretHasher {
  const params: Argon2Params = Object.freeze({
    memoryCost: options.memoryCost ?? DEFAULT_ARGON2_PARAMS.memoryCost,
    timeCost: options.timeCost ?? DEFAULT_ARGON2_PARAMS.timeCost,
    parallelism: options.parallelism ?? DEFAULT_ARGON2_PARAMS.parallelism,
  });
  for (const name of ['memoryCost', 'timeCost', 'parallelism'] as const) {
    const value = params[name];
    if (!Number.isInteger(value) || value < 1) throw new Error(`argon2 ${name} must be a positive integer`);
    if (!options.allowWeak && value < DEFAULT_ARGON2_PARAMS[name]) {
      throw new Error(`argon2 ${name}=${value} is below the minimum ${DEFAULT_ARGON2_PARAMS[name]}`);
    }
  }
  const hashOptions = { type: argon2.argon2id as 2, ...params, raw: false as const };
  // p-limit refuses a concurrency that is not a whole number from 1 up
  const inTurn = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);

  // Made once, on first need, with the same parameters so a miss costs what a wrong password costs.
  let dummy: Promise<string> | undefined;
  const dummyHash = (): Promise<string> => {
    if (!dummy) {
      dummy = inTurn(() => argon2.hash('tongban-dummy-secret', hashOptions));
      // A failed attempt is not cached, so the next miss tries again.
      dummy.catch(() => {
        dummy = undefined;
      });
    }
    return dummy;
  };

  async function verifyAgainst(hash: string, secret: string): Promise<boolean> {
    const parsed = parseHash(hash);
    if (
      !parsed ||
      parsed.params.memoryCost > MAX_MEMORY_KIB ||
      parsed.params.timeCost > MAX_TIME_COST ||
      parsed.params.parallelism > MAX_PARALLELISM
    ) {
      return false;
    }
    try {
      return await inTurn(() => argon2.verify(hash, secret));
    } catch {
      return false;
    }
  }

  return {
    params,
    load: () => ({ running: inTurn.activeCount, waiting: inTurn.pendingCount }),
    hash(secret) {
      return inTurn(() => argon2.hash(secret, hashOptions));
    },
    async verify(hash, secret) {
      if (hash === null) {
        await verifyAgainst(await dummyHash(), secret);
        return false;
      }
      return verifyAgainst(hash, secret);
    },
  };
}
