/**
 * Reads issued in the same tick go to the store as one MGET. oidc-provider looks a presented
 * token up as an access token, client-credentials token and refresh token at once (when the
 * caller gives no type hint), so introspection and revocation make one round trip, not three.
 */
import type { EphemeralStore } from './ephemeral.ts';

type Values = (string | null)[];

interface Waiting {
  keys: string[];
  resolve(values: Values): void;
  reject(err: unknown): void;
}

export function createMgetBatcher(store: Pick<EphemeralStore, 'mget'>): (keys: string[]) => Promise<Values> {
  let waiting: Waiting[] | null = null;

  async function flush(batch: Waiting[]): Promise<void> {
    try {
      const values = await store.mget(batch.flatMap((w) => w.keys));
      let at = 0;
      for (const w of batch) w.resolve(values.slice(at, (at += w.keys.length)));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }

  return (keys) =>
    new Promise<Values>((resolve, reject) => {
      if (!waiting) {
        const batch: Waiting[] = (waiting = []);
        process.nextTick(() => {
          waiting = null;
          void flush(batch);
        });
      }
      waiting.push({ keys, resolve, reject });
    });
}
