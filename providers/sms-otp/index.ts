/**
 * `sms-otp`: a phone number bound to a person + a one-time code texted to it. An unknown
 * number gets the same page and costs the same time, but no message, and its code step
 * fails like a wrong code.
 */
import { z } from 'zod';
import { defineMethod, type Challenge, type Flow, type MethodContext, type VerifyResult } from '../kit/index.ts';
import { codeField, maskPhone, phoneField, phoneSchema, readFields } from '../kit/fields.ts';
import { configSchema, type SmsOtpConfig } from './config.ts';
import { loginCodeText } from './connector.ts';
import { otpStep, type CheckOutcome, type SendOutcome } from './otp.ts';

export { otpStep, otpConfigSchema, OTP_DEFAULTS, dailyKeys, type OtpConfig, type OtpStep, type SendOutcome, type CheckOutcome } from './otp.ts';

const ID = 'sms-otp';
type FormChallenge = Extract<Challenge, { kind: 'form' }>;

/** A failed send or check as a result: the phone form, or the code step again when there is one. */
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

function loginFlow(cfg: SmsOtpConfig): Flow {
  const form: FormChallenge = {
    kind: 'form',
    step: 'phone',
    title: { 'zh-CN': '手机号码 + 短信验证码登录', en: 'Sign in with your mobile number and a text code' },
    fields: [phoneField],
    submit: { 'zh-CN': '获取验证码', en: 'Send me a code' },
    note: {
      'zh-CN': '仅限已绑定通办 ID 的手机号码。',
      en: 'Only for mobile numbers linked to a Tongban ID.',
    },
  };
  // one wording for every number: it must not tell whether the number is registered
  const codeStep = (phone: string): Challenge => ({
    kind: 'otp_sent',
    step: 'code',
    title: {
      'zh-CN': '如果该号码已绑定通办 ID，验证码已发送',
      en: 'If this number is linked to a Tongban ID, a code is on its way',
    },
    fields: [codeField(cfg.otp.length)],
    submit: { 'zh-CN': '登录', en: 'Sign in' },
    sentTo: maskPhone(phone),
    resendAfter: cfg.otp.resendSeconds,
    expiresIn: cfg.otp.ttlSeconds,
  });
  const otp = otpStep({
    cfg: cfg.otp,
    data: z.object({}).strict(),
    text: loginCodeText,
    failKeys: (ctx, phone) => [
      { scope: 'id', id: `${ID}:${phone}` },
      { scope: 'ip', id: ctx.sourceIp },
    ],
  });

  async function submitPhone(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult> {
    const read = readFields(input, form.fields, ctx.lang);
    if (!read.ok) return { status: 'failed', ...read.problem };
    const phone = read.values.phone!;
    if (!phoneSchema.safeParse(phone).success) return { status: 'failed', reason: 'phone_malformed' };
    const cred = await ctx.credentials.find(ID, phone);
    const sent = await otp.send(ctx, { phone, deliver: cred?.status === 'active', data: {} });
    if (!sent.ok) return otpFailure(sent, form, codeStep);
    return { status: 'pending', challenge: codeStep(phone) };
  }

  async function resend(ctx: MethodContext): Promise<VerifyResult> {
    const sent = await otp.resend(ctx);
    if (!sent.ok) return otpFailure(sent, form, codeStep);
    return { status: 'pending', challenge: codeStep(sent.phone) };
  }

  async function submitCode(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult> {
    const checked = await otp.check(ctx, typeof input.code === 'string' ? input.code : '');
    if (!checked.ok) return otpFailure(checked, form, codeStep);
    // looked up again: a number unbound or disabled since the code was sent no longer signs in
    const cred = await ctx.credentials.find(ID, checked.phone);
    if (!cred || cred.status !== 'active') return { status: 'failed', reason: 'otp_expired', challenge: form };
    return {
      status: 'verified',
      claim: { kind: 'credential', personId: cred.personId, credentialId: cred.credentialId },
      level: cfg.level,
      amr: ['sms', 'otp'],
      evidence: {},
    };
  }

  return {
    start: async () => form,
    async verify(ctx, input) {
      if (input.step === 'code') return input.action === 'resend' ? resend(ctx) : submitCode(ctx, input);
      return submitPhone(ctx, input);
    },
  };
}

export const method = defineMethod({
  id: ID,
  configSchema,
  create(cfg) {
    return {
      id: ID,
      group: 'common',
      label: { 'zh-CN': '手机号码 + 短信验证码', en: 'Mobile number + text code' },
      description: { 'zh-CN': '已绑定手机号码的居民', en: 'For residents who linked their mobile number' },
      level: cfg.level,
      amr: ['sms', 'otp'],
      flows: { login: loginFlow(cfg) },
    };
  },
});
