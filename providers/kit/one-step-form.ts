/**
 * A login that is one form checked by an authority (an account or card number and its
 * password): the form is open for a TTL with a bounded number of attempts, every attempt is
 * rate-limited by identifier and source IP, and of two submissions of one form only one signs in.
 */
import { z } from 'zod';
import { readFields } from './fields.ts';
import type { Challenge, Flow, MessageKey, MethodContext, VerifyResult } from './index.ts';

export type FormChallenge = Extract<Challenge, { kind: 'form' }>;
type Failed = Extract<VerifyResult, { status: 'failed' }>;
type Verified = Extract<VerifyResult, { status: 'verified' }>;

export interface OneStepForm {
  /** the method id: names the rate key of the identifier */
  readonly id: string;
  readonly form: FormChallenge;
  readonly challenge: { readonly ttlSeconds: number; readonly maxAttempts: number };
  /** shown when the authority refuses: unknown and wrong read the same */
  readonly refused: MessageKey;
  /**
   * the authority locks the card after a few wrong secrets in a row: fewer than that reach it
   * through us, from anyone (rate scope `card`), so a stranger cannot make it lock the card
   */
  readonly authorityLocks?: boolean;
  /** normalises and checks the format of the fields, before any state, limit or authority is touched */
  parse(values: Readonly<Record<string, string>>): { identifier: string; secret: string } | Failed;
  /** the one authority call; 'refused' counts against the rate limit, a failure is returned as is */
  check(ctx: MethodContext, identifier: string, secret: string): Promise<'refused' | Failed | Verified>;
}

/** an open challenge: the form was shown for this interaction and not used up yet */
const openForm = z.object({ shownAt: z.number() });

export function oneStepFormFlow(spec: OneStepForm): Flow {
  const { form } = spec;
  const ttl = spec.challenge.ttlSeconds;

  return {
    async start(ctx) {
      await ctx.state.put({ shownAt: Date.now() }, ttl);
      return form;
    },
    async verify(ctx, input): Promise<VerifyResult> {
      const read = readFields(input, form.fields, ctx.lang);
      if (!read.ok) return { status: 'failed', ...read.problem };
      const parsed = spec.parse(read.values);
      if ('status' in parsed) return parsed;

      if (!(await ctx.state.get(openForm))) return { status: 'failed', reason: 'challenge_expired' };
      // counted before the authority tests the secret: with a limit of k, at most k are tested at once
      const guess = await ctx.limits.guess(
        { method: spec.id, identifier: parsed.identifier },
        spec.authorityLocks ? [{ scope: 'card', id: `${spec.id}:${parsed.identifier}` }] : [],
      );
      if (!guess.ok) return { status: 'failed', reason: 'rate_limited', retryAfter: guess.retryAfter };
      // the form's own tries: a submission the limits refused did not spend one
      const attempt = await ctx.state.attempt(spec.challenge.maxAttempts, ttl);
      if (!attempt.allowed) {
        await guess.release();
        await ctx.state.clear();
        return { status: 'failed', reason: 'challenge_expired' };
      }

      let outcome: Awaited<ReturnType<OneStepForm['check']>>;
      try {
        outcome = await spec.check(ctx, parsed.identifier, parsed.secret);
      } catch (err) {
        // the authority did not answer: nothing was tested
        await guess.release();
        throw err;
      }
      if (outcome === 'refused') {
        const backoff = await guess.failed();
        return { status: 'failed', reason: spec.refused, ...(backoff ? { retryAfter: backoff } : {}) };
      }
      if (outcome.status === 'failed') {
        await guess.release();
        return outcome;
      }

      // single use: of two submissions of one form only one signs in
      if (!(await ctx.state.consume(openForm))) {
        await guess.release();
        return { status: 'failed', reason: 'challenge_expired' };
      }
      await ctx.state.clear();
      await guess.succeeded();
      return outcome;
    },
  };
}
