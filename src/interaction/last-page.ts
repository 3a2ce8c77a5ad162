/**
 * The step a method showed last in this interaction. Switching language on a method's page
 * shows that step again in the other language, with what was typed that a field keeps (never a
 * secret), instead of starting the method over. What was typed (an ID number, a phone) is
 * sealed like the methods' own state in the ephemeral store.
 */
import { z } from 'zod';
import type { Challenge } from '../../providers/kit/index.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { Sealer } from './method-context.ts';
import { keptValue, type Problem } from './views.ts';

const KEEP_SECONDS = 3600;
const key = (uid: string, method: string, flow: string) => `ix:${uid}:page:${method}:${flow}`;

export interface ShownPage {
  challenge: Challenge;
  problem?: Problem;
  typed?: Record<string, string>;
}

const stored = z.object({
  // its words are catalogue keys (a page kept in another shape is not shown again)
  challenge: z.object({ kind: z.string(), title: z.string().optional() }).passthrough(),
  problem: z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() }).optional(),
  typed: z.record(z.string(), z.string()).optional(),
});

type At = { uid: string; method: string; flow: string };

export async function rememberPage(store: EphemeralStore, sealer: Sealer | undefined, at: At, shown: ShownPage): Promise<void> {
  const ch = shown.challenge;
  const typed: Record<string, string> = {};
  if (ch.kind === 'form' || ch.kind === 'otp_sent') {
    for (const f of ch.fields) {
      const v = keptValue(f, shown.typed);
      if (v) typed[f.name] = v;
    }
  }
  const k = key(at.uid, at.method, at.flow);
  const plain = JSON.stringify({ challenge: ch, problem: shown.problem, typed });
  await store.set(k, sealer ? sealer.seal(plain, k) : plain, KEEP_SECONDS);
}

export async function lastPage(store: EphemeralStore, sealer: Sealer | undefined, at: At): Promise<ShownPage | undefined> {
  const k = key(at.uid, at.method, at.flow);
  const raw = await store.get(k);
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(sealer ? sealer.unseal(raw, k) : raw);
  } catch {
    return undefined; // sealed under a key since retired: the method starts over
  }
  const parsed = stored.safeParse(json);
  // written above from a challenge and a catalogue code; anything else is not shown
  return parsed.success ? (parsed.data as ShownPage) : undefined;
}
