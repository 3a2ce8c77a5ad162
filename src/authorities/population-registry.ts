/**
 * Population registry: the two-element check (does this name belong to this ID number?).
 * Read-only, so one retry is safe.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AuthorityUnavailable } from '../errors.ts';
import { callAuthority } from './http.ts';
import type { PopulationRegistry } from './index.ts';

export interface PopulationRegistryOptions {
  /** The registry's base URL, e.g. `${sandboxUrl}/registry`. */
  baseUrl: string;
  appKey: string;
  appId: string;
  timeoutMs: number;
}

const AUTHORITY = 'population-registry';

const verifyAnswer = z.object({
  code: z.literal('0000'),
  result: z.enum(['consistent', 'inconsistent', 'not_found']),
  requestId: z.string().min(1),
  checkedAt: z.string(),
});

const RESULTS = { consistent: 'match', inconsistent: 'mismatch', not_found: 'not_found' } as const;

export function createPopulationRegistry(opts: PopulationRegistryOptions): PopulationRegistry {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/v1/verify`;
  return {
    async checkNameAndId(idNumber, name) {
      const requestId = randomUUID();
      const answer = await callAuthority({
        authority: AUTHORITY,
        url,
        method: 'POST',
        headers: { 'x-app-key': opts.appKey },
        body: { appId: opts.appId, requestId, idNumber, name },
        schema: verifyAnswer,
        timeoutMs: opts.timeoutMs,
        retries: 1,
      });
      // An answer to some other request must not decide this one.
      if (answer.requestId !== requestId) {
        throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'answer carries another request id');
      }
      return { result: RESULTS[answer.result], requestId };
    },
  };
}
