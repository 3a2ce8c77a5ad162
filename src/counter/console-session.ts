/**
 * Counter-console sessions: separate from the citizen's single sign-on, in the ephemeral store,
 * ending after 15 idle minutes. Each request re-reads the staff record, so deactivating a
 * staff member stops their session at once.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { EphemeralStore } from '../store/ephemeral.ts';

export const CONSOLE_IDLE_SECONDS = 15 * 60;

const sessionSchema = z.object({
  personId: z.string(),
  centreId: z.string(),
  acr: z.string(),
  visit: z
    .object({ personId: z.string(), subjectIndex: z.string(), openedAt: z.number(), expiresAt: z.number(), enrolled: z.boolean() })
    .optional(),
});
export type ConsoleSession = z.infer<typeof sessionSchema>;

export function consoleSessions(store: EphemeralStore, idleSeconds = CONSOLE_IDLE_SECONDS) {
  const key = (id: string) => `counter:session:${id}`;
  return {
    async create(s: ConsoleSession): Promise<string> {
      const id = randomBytes(24).toString('base64url');
      await store.set(key(id), JSON.stringify(s), idleSeconds);
      return id;
    },
    /** reads and, being a use, restarts the idle clock */
    async touch(id: string): Promise<ConsoleSession | null> {
      if (!/^[A-Za-z0-9_-]{32}$/.test(id)) return null;
      const raw = await store.get(key(id));
      if (!raw) return null;
      const parsed = sessionSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) return null;
      await store.set(key(id), raw, idleSeconds);
      return parsed.data;
    },
    async save(id: string, s: ConsoleSession): Promise<void> {
      await store.set(key(id), JSON.stringify(s), idleSeconds);
    },
    async destroy(id: string): Promise<void> {
      await store.del([key(id)]);
    },
  };
}
export type ConsoleSessions = ReturnType<typeof consoleSessions>;
