import type { EphemeralStore } from './ephemeral.ts';
import { createMemoryStore } from './memory-store.ts';

/** Redis when a URL is given, otherwise the in-process store (single process only); the Redis client loads only when used. */
export async function openEphemeral(opts: { url?: string; prefix?: string; commandTimeoutMs?: number }): Promise<EphemeralStore> {
  if (opts.url) {
    const { createRedisStore } = await import('./redis-store.ts');
    return createRedisStore({ url: opts.url, prefix: opts.prefix, silenceMs: opts.commandTimeoutMs });
  }
  return createMemoryStore({ prefix: opts.prefix });
}
