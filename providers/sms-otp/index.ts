/**
 * `sms-otp`: a phone number bound to a person + a one-time code texted to it. An unknown
 * number gets the same page and costs the same time, but no message, and its code step
 * fails like a wrong code.
 */
import { z } from 'zod';
import { defineMethod, type Challenge, type Flow } from '../kit/index.ts';
import { phoneField, phoneSchema, readFields } from '../kit/fields.ts';
import { codeChallenge, otpFlow, otpStep } from '../kit/otp.ts';
import { configSchema, type SmsOtpConfig } from './config.ts';
import * as messages from './messages.ts';
import { loginCodeText } from './connector.ts';

const ID = 'sms-otp';
type FormChallenge = Extract<Challenge, { kind: 'form' }>;

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
  return otpFlow({
    first: form,
    // one wording for every number: it must not tell whether the number is registered
    codeStep: codeChallenge(cfg.otp, {
      title: {
        'zh-CN': '如果该号码已绑定通办 ID，验证码已发送',
        en: 'If this number is linked to a Tongban ID, a code is on its way',
      },
      submit: { 'zh-CN': '登录', en: 'Sign in' },
      hedged: true,
    }),
    otp: otpStep({
      cfg: cfg.otp,
      data: z.object({}).strict(),
      text: loginCodeText,
      account: (phone) => ({ method: ID, identifier: phone }),
    }),
    async submit(ctx, input) {
      const read = readFields(input, form.fields, ctx.lang);
      if (!read.ok) return { status: 'failed', ...read.problem };
      const phone = read.values.phone!;
      if (!phoneSchema.safeParse(phone).success) return { status: 'failed', reason: 'phone_malformed' };
      const cred = await ctx.credentials.find(ID, phone);
      return { send: { phone, deliver: cred?.status === 'active', data: {} } };
    },
    async verified(ctx, phone) {
      // looked up again: a number unbound or disabled since the code was sent no longer signs in
      const cred = await ctx.credentials.find(ID, phone);
      if (!cred || cred.status !== 'active') return { status: 'failed', reason: 'otp_expired', challenge: form };
      return {
        status: 'verified',
        claim: { kind: 'credential', personId: cred.personId, credentialId: cred.credentialId },
        level: cfg.level,
        amr: ['sms', 'otp'],
        evidence: {},
      };
    },
  });
}

export const method = defineMethod({
  id: ID,
  messages,
  roles: ['phone-otp'],
  authority: 'sms',
  configSchema,
  create(cfg) {
    return {
      id: ID,
      group: 'common',
      factors: { sms: 'have', otp: 'have' },
      kiosk: true,
      label: { 'zh-CN': '手机号码 + 短信验证码', en: 'Mobile number + text code' },
      description: { 'zh-CN': '已绑定手机号码的居民', en: 'For residents who linked their mobile number' },
      level: cfg.level,
      amr: ['sms', 'otp'],
      flows: { login: loginFlow(cfg) },
    };
  },
});
