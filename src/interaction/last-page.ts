/**
 * The step a method showed last in this interaction. Switching language on a method's page
 * shows that step again in the other language, with what was typed that a field keeps (never a
 * secret), instead of starting the method over.
 */
import { z } from 'zod';
import type { Challenge } from '../../providers/kit/index.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { keptValue, type Problem } from './views.ts';

const KEEP_SECONDS = 3600;
const key = (uid: string, method: string, flow: string) => `ix:${uid}:page:${method}:${flow}`;

export interface ShownPage {
  challenge: Challenge;
  problem?: Problem;
  typed?: Record<string, string>;
}

const stored = z.object({
  challenge: z.object({ kind: z.string() }).passthrough(),
  problem: z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() }).optional(),
  typed: z.record(z.string(), z.string()).optional(),
});

export async function rememberPage(store: EphemeralStore, at: { uid: string; method: string; flow: string }, shown: ShownPage): Promise<void> {
  const ch = shown.challenge;
  const typed: Record<string, string> = {};
  if (ch.kind === 'form' || ch.kind === 'otp_sent') {
    for (const f of ch.fields) {
      const v = keptValue(f, shown.typed);
      if (v) typed[f.name] = v;
    }
  }
  await store.set(key(at.uid, at.method, at.flow), JSON.stringify({ challenge: ch, problem: shown.problem, typed }), KEEP_SECONDS);
}

export async function lastPage(store: EphemeralStore, at: { uid: string; method: string; flow: string }): Promise<ShownPage | undefined> {
  const raw = await store.get(key(at.uid, at.method, at.flow));
  if (!raw) return undefined;
  const parsed = stored.safeParse(JSON.parse(raw));
  // written above from a challenge and a catalogue code; anything else is not shown
  return parsed.success ? (parsed.data as ShownPage) : undefined;
}
