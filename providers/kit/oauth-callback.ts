/**
 * The two halves of an authorization-code login around the authority's own page: start keeps a
 * fresh `state` for the interaction; the callback must bring it back, and its code is let
 * through once only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { MessageKey, MethodContext, VerifyResult } from './index.ts';
import { sameSecret } from '../../src/crypto/constant-time.ts';

type Failed = Extract<VerifyResult, { status: 'failed' }>;

const pending = z.object({ state: z.string() });

/** A new `state` for the authorize URL, kept in the challenge state for `ttlSeconds`. */
export async function openAuthorization(ctx: MethodContext, ttlSeconds: number): Promise<string> {
  const state = randomBytes(24).toString('base64url');
  await ctx.state.put({ state }, ttlSeconds);
  return state;
}


export interface CallbackSpec<T> {
  /** the query the authority sends back (besides `step` and `state`) */
  readonly callback: z.ZodType<T>;
  /** the authorization code, or undefined when the citizen refused */
  code(data: T): string | undefined;
  /** a malformed, replayed or rejected code */
  readonly invalid: MessageKey;
  /** the citizen refused at the authority */
  readonly denied: MessageKey;
}

/** Checks a callback and returns its code, not seen before; or the failure to answer with. */
export async function takeAuthorizationCode<T>(
  ctx: MethodContext,
  input: Readonly<Record<string, string>>,
  spec: CallbackSpec<T>,
): Promise<{ ok: true; code: string } | { ok: false; failure: Failed }> {
  const fail = (failure: Failed) => ({ ok: false as const, failure });
  if (input.step !== 'callback') return fail({ status: 'failed', reason: 'invalid_input', params: { field: 'step' } });
  // whatever came back, this challenge is over: a second callback finds nothing
  const expected = await ctx.state.consume(pending);
  if (!expected) return fail({ status: 'failed', reason: 'challenge_expired' });
  if (!sameSecret(expected.state, input.state ?? '')) return fail({ status: 'failed', reason: 'state_mismatch' });
  const cb = spec.callback.safeParse(input);
  if (!cb.success) return fail({ status: 'failed', reason: spec.invalid });
  const code = spec.code(cb.data);
  if (!code) return fail({ status: 'failed', reason: spec.denied });

  // the authority refuses a used code too; this keeps a replay from reaching it at all
  const marker = createHash('sha256').update(code).digest('base64url');
  if (!(await ctx.shared.once(`code:${marker}`, 24 * 3600))) return fail({ status: 'failed', reason: spec.invalid });
  return { ok: true, code };
}
