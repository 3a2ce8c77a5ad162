/**
 * A code sent by text message and accepted once: the step several methods end with. The code
 * lives only as a keyed digest in the interaction's state, with a TTL, an attempt count and a
 * resend throttle; optionally daily caps per number and per source address, and failure
 * back-off per identifier and per source address.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { codeField, maskPhone } from './method-fields.ts';
import { recordSendTime, sendTimeToMatch } from './send-times.ts';
import type { Account, Attempt, Challenge, Flow, MethodContext, TextKey, VerifyResult } from '../../providers/kit/index.ts';

/** a check no limit guards (registration: only the state's own attempt count) */
const NO_LIMIT: { ok: true } & Attempt = { ok: true, failed: async () => 0, succeeded: async () => {}, release: async () => {} };

export const otpConfigSchema = z
  .object({
    length: z.number().int().min(6).max(8).default(6),
    ttlSeconds: z.number().int().min(60).max(900).default(300),
    maxAttempts: z.number().int().min(1).max(10).default(5),
    resendSeconds: z.number().int().min(30).max(600).default(60),
  })
  .strict();

export type OtpConfig = z.infer<typeof otpConfigSchema>;
export const OTP_DEFAULTS: OtpConfig = { length: 6, ttlSeconds: 300, maxAttempts: 5, resendSeconds: 60 };

export type SendOutcome =
  | { ok: true; phone: string }
  | { ok: false; reason: 'rate_limited' | 'otp_resend_wait' | 'sms_otp_daily_limit' | 'otp_expired'; retryAfter?: number; phone?: string };

export type CheckOutcome<T> =
  | { ok: true; phone: string; data: T }
  | { ok: false; reason: 'otp_invalid' | 'otp_expired' | 'rate_limited'; retryAfter?: number; phone?: string };

export interface SendRequest<T> {
  phone: string;
  /**
   * With `deliver` false nothing is sent, but everything else (caps, throttle, state, time
   * taken) is the same, and the code step then fails like a wrong code.
   */
  deliver: boolean;
  /** what the flow keeps with the code until it is entered */
  data: T;
  /** a first step that always sends: the resend wait starts from this send instead of holding it back */
  restart?: boolean;
}

export interface OtpStep<T> {
  /** sends a fresh code to `phone` and keeps `data` beside its digest */
  send(ctx: MethodContext, r: SendRequest<T>): Promise<SendOutcome>;
  /** sends the pending code's phone a new code (after the resend wait) */
  resend(ctx: MethodContext): Promise<SendOutcome>;
  /** checks `code` once; a good code is consumed, so it cannot finish a second login */
  check(ctx: MethodContext, code: string): Promise<CheckOutcome<T>>;
}

export interface OtpStepOptions<T> {
  cfg: OtpConfig;
  data: z.ZodType<T>;
  /** the text message; `minutes` is how long the code is valid */
  text(code: string, minutes: number): string;
  /**
   * whose code a wrong entry counts against (the phone's or the ID number's account): limited
   * like any guessed secret (see RequestLimits.guess); none, only the attempt count
   */
  account?(phone: string, data: T): Account;
  /** false leaves the sends out of the daily caps (see RequestLimits.message) */
  dailyCaps?: boolean;
}

export function otpStep<T>(o: OtpStepOptions<T>): OtpStep<T> {
  const { cfg } = o;
  const pendingSchema = z.object({ phone: z.string(), deliver: z.boolean(), codeDigest: z.string(), data: o.data });
  const minutes = Math.max(1, Math.round(cfg.ttlSeconds / 60));

  async function send(ctx: MethodContext, p: SendRequest<T>): Promise<SendOutcome> {
    if (!p.restart) {
      const wait = await ctx.state.throttle('resend', cfg.resendSeconds);
      if (!wait.ok) return { ok: false, reason: 'otp_resend_wait', retryAfter: wait.retryAfter, phone: p.phone };
    }
    // checked and counted in one step, delivered or not: a cap that only registered numbers
    // reach would tell them apart
    if (o.dailyCaps !== false) {
      const capped = await ctx.limits.message(p.phone);
      if (!capped.ok) return { ok: false, reason: 'sms_otp_daily_limit', retryAfter: capped.retryAfter };
    }

    const code = ctx.codes.generate(cfg.length);
    if (p.deliver) {
      const t0 = performance.now();
      await ctx.authorities.sms.send(p.phone, o.text(code, minutes));
      recordSendTime(performance.now() - t0);
    } else {
      // a number that gets no message must not answer faster or slower than one that does
      await sleep(Math.round(sendTimeToMatch()));
    }
    await ctx.state.clear();
    await ctx.state.put({ phone: p.phone, deliver: p.deliver, codeDigest: ctx.codes.digest(code), data: p.data }, cfg.ttlSeconds);
    if (p.restart) await ctx.state.throttle('resend', cfg.resendSeconds);
    return { ok: true, phone: p.phone };
  }

  return {
    send,

    async resend(ctx) {
      const pending = await ctx.state.get(pendingSchema);
      if (!pending) return { ok: false, reason: 'otp_expired' };
      return send(ctx, { phone: pending.phone, deliver: pending.deliver, data: pending.data });
    },

    async check(ctx, rawCode) {
      const pending = await ctx.state.get(pendingSchema);
      if (!pending) return { ok: false, reason: 'otp_expired' };
      const account = o.account?.(pending.phone, pending.data);
      // counted before the code is compared: with a limit of k, at most k are compared at once
      const guess = account ? await ctx.limits.guess(account) : NO_LIMIT;
      if (!guess.ok) return { ok: false, reason: 'rate_limited', retryAfter: guess.retryAfter, phone: pending.phone };
      const attempt = await ctx.state.attempt(cfg.maxAttempts, cfg.ttlSeconds);
      if (!attempt.allowed) {
        await guess.release();
        // the code is not cleared: the count refuses every later attempt until the TTL, and the
        // right code sent at the same moment as this one, among the first maxAttempts, still wins
        return { ok: false, reason: 'otp_expired' };
      }
      const code = rawCode.trim();
      const shaped = code.length === cfg.length && /^\d+$/.test(code);
      // the digest comparison runs for undelivered codes too, so both cost the same
      const good = shaped && ctx.codes.matches(pending.codeDigest, code) && pending.deliver;
      if (!good) {
        const backoff = await guess.failed();
        return { ok: false, reason: 'otp_invalid', phone: pending.phone, ...(backoff ? { retryAfter: backoff } : {}) };
      }
      // of two concurrent submissions of the right code only one gets the state
      const won = await ctx.state.consume(pendingSchema);
      if (!won || won.codeDigest !== pending.codeDigest) {
        await guess.release();
        return { ok: false, reason: 'otp_expired' };
      }
      await ctx.state.clear();
      await guess.succeeded();
      return { ok: true, phone: won.phone, data: won.data };
    },
  };
}

/** The code step's page: the same fields and timers for every method, its own wording. */
export function codeChallenge(cfg: OtpConfig, text: { title: TextKey; submit: TextKey; hedged?: boolean }): (phone: string) => Challenge {
  return (phone) => ({
    kind: 'otp_sent',
    step: 'code',
    title: text.title,
    fields: [codeField(cfg.length)],
    submit: text.submit,
    sentTo: maskPhone(phone),
    ...(text.hedged ? { hedged: true } : {}),
    resendAfter: cfg.resendSeconds,
    expiresIn: cfg.ttlSeconds,
  });
}

/** A failed send or check as a result: the first form, or the code step again when there is one. */
export function otpFailure(
  r: Extract<SendOutcome | CheckOutcome<unknown>, { ok: false }>,
  first: Challenge,
  codeStep: (phone: string) => Challenge,
): VerifyResult {
  const again = r.phone && r.reason !== 'otp_expired' ? codeStep(r.phone) : first;
  return {
    status: 'failed',
    reason: r.reason,
    ...(r.retryAfter ? { retryAfter: r.retryAfter, params: { seconds: r.retryAfter } } : {}),
    challenge: again,
  };
}

export interface OtpFlowOptions<T> {
  /** the form before the code, shown again when the code step has to start over */
  first: Challenge;
  otp: OtpStep<T>;
  codeStep(phone: string): Challenge;
  /** checks the first form: what to text, or the result to stop with */
  submit(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult | { send: SendRequest<T> }>;
  /** the right code was entered */
  verified(ctx: MethodContext, phone: string, data: T): Promise<VerifyResult>;
}

/** A flow of one form and then the code step (with resend). */
export function otpFlow<T>(o: OtpFlowOptions<T>): Flow {
  const reply = (sent: SendOutcome): VerifyResult =>
    sent.ok ? { status: 'pending', challenge: o.codeStep(sent.phone) } : otpFailure(sent, o.first, o.codeStep);
  return {
    start: async () => o.first,
    async verify(ctx, input) {
      if (input.step === 'code') {
        if (input.action === 'resend') return reply(await o.otp.resend(ctx));
        const checked = await o.otp.check(ctx, typeof input.code === 'string' ? input.code : '');
        return checked.ok ? o.verified(ctx, checked.phone, checked.data) : otpFailure(checked, o.first, o.codeStep);
      }
      const r = await o.submit(ctx, input);
      return 'send' in r ? reply(await o.otp.send(ctx, r.send)) : r;
    },
  };
}
