/** Raw argon2id throughput at the production settings: the ceiling for password logins. */
import { createSecretHasher } from '../../src/crypto/password.ts';
import { PASSWORD } from '../service.ts';
import { Phase } from '../load.ts';
import type { PhaseTiming } from './timing.ts';

export function argon2Phase(t: PhaseTiming): { phase: Phase; params: string } {
  const hasher = createSecretHasher();
  const { memoryCost, timeCost, parallelism } = hasher.params;
  // a successful login runs argon2.verify, which recomputes exactly this hash and compares
  const phase = new Phase('argon2id hash (raw)', { ...t, task: () => hasher.hash(PASSWORD).then(() => undefined) });
  return { phase, params: `m=${memoryCost} KiB, t=${timeCost}, p=${parallelism}` };
}
