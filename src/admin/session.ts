/**
 * Admin console sessions: apart from the citizen's single sign-on, in the ephemeral store, ended
 * after `idleSeconds` without a request (10 minutes by default, ADMIN_IDLE_SECONDS). The idle
 * clock is checked against the session's own last-use time as well as the store's TTL, so a
 * test's clock can end it without waiting. Roles are not kept here: every request re-reads the
 * admin record.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { EphemeralStore } from '../store/ephemeral.ts';

export const ADMIN_IDLE_SECONDS = 10 * 60;

const sessionSchema = z.object({
  personId: z.string(),
  /** the assurance level of the sign-in */
  level: z.number().int(),
  signedInAt: z.number(),
  lastUsedAt: z.number(),
});
export type AdminSession = z.infer<typeof sessionSchema>;

const ID = /^[A-Za-z0-9_-]{32}$/;

export function adminSessions(store: EphemeralStore, idleSeconds = ADMIN_IDLE_SECONDS, now: () => number = Date.now) {
  const key = (id: string) => `admin:session:${id}`;
  return {
    idleSeconds,
    async create(s: { personId: string; level: number }): Promise<string> {
      const id = randomBytes(24).toString('base64url');
      const at = now();
      await store.set(key(id), JSON.stringify({ ...s, signedInAt: at, lastUsedAt: at } satisfies AdminSession), idleSeconds);
      return id;
    },
    /** reads and, being a use, restarts the idle clock; null when absent or idle too long */
    async touch(id: string): Promise<AdminSession | null> {
      if (!ID.test(id)) return null;
      const raw = await store.get(key(id));
      if (!raw) return null;
      const parsed = sessionSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) return null;
      const at = now();
      if (at - parsed.data.lastUsedAt > idleSeconds * 1000) {
        await store.del([key(id)]);
        return null;
      }
      const session = { ...parsed.data, lastUsedAt: at };
      await store.set(key(id), JSON.stringify(session), idleSeconds);
      return session;
    },
    async destroy(id: string): Promise<void> {
      if (ID.test(id)) await store.del([key(id)]);
    },
  };
}
export type AdminSessions = ReturnType<typeof adminSessions>;
