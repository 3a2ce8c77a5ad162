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
    title: 'sms-otp.phoneTitle',
    fields: [phoneField],
    submit: 'formSendCode',
    note: 'sms-otp.phoneNote',
  };
  return otpFlow({
    first: form,
    // one wording for every number: it must not tell whether the number is registered
    codeStep: codeChallenge(cfg.otp, {
      title: 'sms-otp.codeTitle',
      submit: 'formSignIn',
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
      label: 'sms-otp.label',
      description: 'sms-otp.description',
      level: cfg.level,
      amr: ['sms', 'otp'],
      flows: { login: loginFlow(cfg) },
    };
  },
});
