/**
 * What this interaction has verified so far, when one method was not enough for the level
 * asked (password first, then SMS for level 2). Bound to the interaction; expires with it.
 */
import { z } from 'zod';
import { levelSchema } from '../validation/fields.ts';
import type { Level } from '../../providers/kit/index.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { levelOf } from '../policy/levels.ts';

const progressSchema = z.object({
  personId: z.string(),
  level: levelSchema,
  amr: z.array(z.string()),
  methods: z.array(z.string()),
});
export type Progress = z.infer<typeof progressSchema>;

const key = (uid: string) => `ix:${uid}:progress`;

/**
 * Starts reading the stored progress of `uid` before the interaction itself is loaded, so both
 * reads share one round trip; pass the result to readProgress. Left unread (the interaction
 * turned out to be gone), its failure is not an unhandled rejection.
 */
export function prefetchProgress(store: EphemeralStore, uid: string): Promise<string | null> {
  const raw = store.get(key(uid));
  raw.catch(() => undefined);
  return raw;
}

export async function readProgress(
  store: EphemeralStore,
  uid: string,
  session: { accountId?: string; acr?: string; amr?: string[] } | undefined,
  stored: Promise<string | null> = store.get(key(uid)),
): Promise<Progress | null> {
  const raw = await stored;
  if (raw) {
    const parsed = progressSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  }
  // a signed-in session asked to step up: what it already verified counts
  const level = levelOf(session?.acr);
  if (session?.accountId && level > 0) {
    return { personId: session.accountId, level: level as Level, amr: session.amr ?? [], methods: [] };
  }
  return null;
}

export async function saveProgress(store: EphemeralStore, uid: string, p: Progress, ttlSeconds: number): Promise<void> {
  await store.set(key(uid), JSON.stringify(p), ttlSeconds);
}

export async function clearProgress(store: EphemeralStore, uid: string): Promise<void> {
  await store.del([key(uid)]);
}
