/**
 * Credentials an authority issues (app keys, API keys, its public keys). In production they come
 * from configuration; in development they are downloaded once from the sandbox authority's
 * developer console, the way a developer saves them from the real one. A failed download is
 * not kept, so the next login tries again.
 */
import type { z } from 'zod';
import { callAuthority } from '../../src/authorities/http.ts';
import { ConfigError } from '../../src/errors.ts';

export interface ConsoleCredentials<R> {
  get(): Promise<R>;
  /** drops a downloaded copy (the authority no longer accepts it); configured ones stay */
  forget(): void;
}

export function consoleCredentials<T, R = T>(o: {
  authority: string;
  /** the authority's base URL; the console is at `<baseUrl>/console/credentials` */
  baseUrl: string;
  schema: z.ZodType<T>;
  timeoutMs: number;
  /** configured credentials: used as they are, never downloaded */
  fixed?: R | null;
  /** turns the console's answer into what the connector uses; may throw AuthorityUnavailable */
  map?: (answer: T) => R;
}): ConsoleCredentials<R> {
  let fetched: Promise<R> | undefined;
  return {
    get() {
      if (o.fixed) return Promise.resolve(o.fixed);
      fetched ??= callAuthority({
        authority: o.authority,
        url: `${o.baseUrl.replace(/\/+$/, '')}/console/credentials`,
        method: 'GET',
        schema: o.schema,
        timeoutMs: o.timeoutMs,
        retries: 1,
      })
        .then((answer) => (o.map ? o.map(answer) : (answer as unknown as R)))
        .catch((err: unknown) => {
          fetched = undefined;
          throw err;
        });
      return fetched;
    },
    forget() {
      fetched = undefined;
    },
  };
}

/**
 * The one production guard for sandbox consoles: start-up stops when a method would take its
 * credentials from a developer console in production. `detail` says what to configure instead.
 */
export function refuseConsoleInProduction(env: { readonly production: boolean }, methodId: string, fromConsole: boolean, detail: string): void {
  if (env.production && fromConsole) {
    throw new ConfigError(`config/methods.json: "${methodId}": the sandbox console is for development only; ${detail}`);
  }
}
