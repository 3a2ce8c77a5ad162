/**
 * A code sent by text message and accepted once: the step `sms-otp` is made of and `bank-card`
 * ends with. The code lives only as a keyed digest in the interaction's state, with a TTL, an
 * attempt count, a resend throttle, daily caps per number and per source address, and failure
 * back-off per identifier and per source address.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { MethodContext, RateKey } from '../kit/index.ts';

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

export interface OtpStep<T> {
  /**
   * Sends a fresh code to `phone` and keeps `data` beside its digest. With `deliver` false
   * nothing is sent, but everything else (caps, throttle, state, time taken) is the same, and
   * the code step then fails like a wrong code.
   */
  send(ctx: MethodContext, o: { phone: string; deliver: boolean; data: T }): Promise<SendOutcome>;
  /** sends the pending code's phone a new code (after the resend wait) */
  resend(ctx: MethodContext): Promise<SendOutcome>;
  /** checks `code` once; a good code is consumed, so it cannot finish a second login */
  check(ctx: MethodContext, code: string): Promise<CheckOutcome<T>>;
}

export interface OtpStepOptions<T> {
  cfg: OtpConfig;
  /** what the flow keeps with the code until it is entered */
  data: z.ZodType<T>;
  /** the text message; `minutes` is how long the code is valid */
  text(code: string, minutes: number): string;
  /** failure back-off keys: per identifier (phone, ID number…) and per source address */
  failKeys(ctx: MethodContext, phone: string, data: T): RateKey[];
}

/** Daily caps: the text messages we pay for and a phone owner has to read. Shared by every method that texts. */
export function dailyKeys(ctx: MethodContext, phone: string): RateKey[] {
  return [
    { scope: 'daily-number', id: `sms:${phone}` },
    { scope: 'daily-ip', id: `sms:${ctx.sourceIp}` },
  ];
}

export function otpStep<T>(o: OtpStepOptions<T>): OtpStep<T> {
  const { cfg } = o;
  const pendingSchema = z.object({ phone: z.string(), deliver: z.boolean(), codeDigest: z.string(), data: o.data });
  const minutes = Math.max(1, Math.round(cfg.ttlSeconds / 60));

  // a number that gets no message must not answer faster than one that does
  let sendMs = 80;

  async function send(ctx: MethodContext, p: { phone: string; deliver: boolean; data: T }): Promise<SendOutcome> {
    const backoff = await ctx.limits.check(o.failKeys(ctx, p.phone, p.data));
    if (!backoff.ok) return { ok: false, reason: 'rate_limited', retryAfter: backoff.retryAfter };
    const caps = dailyKeys(ctx, p.phone);
    const capped = await ctx.limits.check(caps);
    if (!capped.ok) return { ok: false, reason: 'sms_otp_daily_limit', retryAfter: capped.retryAfter };
    const wait = await ctx.state.throttle('resend', cfg.resendSeconds);
    if (!wait.ok) return { ok: false, reason: 'otp_resend_wait', retryAfter: wait.retryAfter, phone: p.phone };
    // every send counts, delivered or not: a cap that only registered numbers reach would tell them apart
    await ctx.limits.fail(caps);

    const code = ctx.codes.generate(cfg.length);
    if (p.deliver) {
      const t0 = performance.now();
      await ctx.authorities.sms.send(p.phone, o.text(code, minutes));
      sendMs = sendMs * 0.8 + (performance.now() - t0) * 0.2;
    } else {
      await sleep(Math.round(sendMs * (0.85 + Math.random() * 0.3)));
    }
    await ctx.state.clear();
    await ctx.state.put({ phone: p.phone, deliver: p.deliver, codeDigest: ctx.codes.digest(code), data: p.data }, cfg.ttlSeconds);
    return { ok: true, phone: p.phone };
  }

  return {
    send,

    async resend(ctx) {
      const pending = await ctx.state.get(pendingSchema);
      if (!pending) return { ok: false, reason: 'otp_expired' };
      return send(ctx, pending);
    },

    async check(ctx, rawCode) {
      const pending = await ctx.state.get(pendingSchema);
      if (!pending) return { ok: false, reason: 'otp_expired' };
      const keys = o.failKeys(ctx, pending.phone, pending.data);
      const gate = await ctx.limits.check(keys);
      if (!gate.ok) return { ok: false, reason: 'rate_limited', retryAfter: gate.retryAfter, phone: pending.phone };
      const attempt = await ctx.state.attempt(cfg.maxAttempts, cfg.ttlSeconds);
      if (!attempt.allowed) {
        await ctx.state.clear();
        return { ok: false, reason: 'otp_expired' };
      }
      const code = rawCode.trim();
      const shaped = code.length === cfg.length && /^\d+$/.test(code);
      // the digest comparison runs for undelivered codes too, so both cost the same
      const good = shaped && ctx.codes.matches(pending.codeDigest, code) && pending.deliver;
      if (!good) {
        const backoff = await ctx.limits.fail(keys);
        return backoff > 0
          ? { ok: false, reason: 'rate_limited', retryAfter: backoff, phone: pending.phone }
          : { ok: false, reason: 'otp_invalid', phone: pending.phone };
      }
      // of two concurrent submissions of the right code only one gets the state
      const won = await ctx.state.consume(pendingSchema);
      if (!won || won.codeDigest !== pending.codeDigest) return { ok: false, reason: 'otp_expired' };
      await ctx.state.clear();
      await ctx.limits.reset(keys.slice(0, 1));
      return { ok: true, phone: won.phone, data: won.data };
    },
  };
}
