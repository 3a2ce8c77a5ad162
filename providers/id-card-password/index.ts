/**
 * `id-card-password`: resident ID number + password (argon2id). Registration checks the
 * name/ID pair with the population registry and the phone with an SMS code.
 */
import { z } from 'zod';
import {
  defineMethod,
  type Challenge,
  type FieldSpec,
  type Flow,
  type VerifyResult,
} from '../kit/index.ts';
import {
  checkIdNumber,
  idNumberField,
  nameField,
  nameSchema,
  phoneField,
  phoneSchema,
  readFields,
} from '../kit/fields.ts';
import { codeChallenge, otpFlow, otpStep } from '../kit/otp.ts';
import { configSchema, type IdCardPasswordConfig } from './config.ts';
import * as messages from './messages.ts';
import { checkNameAgainstRegistry, registrationCodeText } from './connector.ts';

const ID = 'id-card-password';
type FormChallenge = Extract<Challenge, { kind: 'form' }>;

const passwordField: FieldSpec = {
  name: 'password',
  label: { 'zh-CN': '密码', en: 'Password' },
  type: 'password',
  autocomplete: 'current-password',
  maxLength: 128,
};
const newPasswordField: FieldSpec = {
  ...passwordField,
  autocomplete: 'new-password',
  hint: { 'zh-CN': '至少 8 位，包含字母和数字', en: 'At least 8 characters, with letters and digits' },
};

const pendingEnrolment = z.object({
  idNumber: z.string(),
  name: z.string(),
  passwordHash: z.string(),
  requestId: z.string(),
});

function loginFlow(cfg: IdCardPasswordConfig): Flow {
  const form: FormChallenge = {
    kind: 'form',
    step: 'password',
    title: { 'zh-CN': '身份证号码 + 密码登录', en: 'Sign in with ID number and password' },
    fields: [idNumberField, passwordField],
    submit: { 'zh-CN': '登录', en: 'Sign in' },
    help: { path: '/help/password', label: { 'zh-CN': '忘记密码？', en: 'Forgotten your password?' } },
  };
  return {
    start: async () => form,
    async verify(ctx, input): Promise<VerifyResult> {
      const read = readFields(input, form.fields, ctx.lang);
      if (!read.ok) return { status: 'failed', ...read.problem };
      const id = checkIdNumber(read.values.id_number!);
      if (!id.ok) return { status: 'failed', ...id.problem };

      // counted before the password is tested: with a limit of k, at most k are tested at once
      const attempt = await ctx.limits.guess({ method: ID, identifier: id.idNumber });
      if (!attempt.ok) return { status: 'failed', reason: 'rate_limited', retryAfter: attempt.retryAfter };

      const cred = await ctx.credentials.find(ID, id.idNumber);
      // an unknown person costs the same argon2id work as a wrong password
      const good = await ctx.secrets.verify(cred?.status === 'active' ? cred.secretHash : null, read.values.password!);
      if (!good || !cred) {
        // a tested password is answered as wrong; a back-off it started comes as Retry-After
        const backoff = await attempt.failed();
        return { status: 'failed', reason: 'login_failed', ...(backoff ? { retryAfter: backoff } : {}) };
      }
      await attempt.succeeded();
      return {
        status: 'verified',
        claim: { kind: 'credential', personId: cred.personId, credentialId: cred.credentialId },
        level: cfg.level,
        amr: ['pwd'],
        evidence: {},
      };
    },
  };
}

function enrolFlow(cfg: IdCardPasswordConfig): Flow {
  const details: FormChallenge = {
    kind: 'form',
    step: 'details',
    title: { 'zh-CN': '开通通办 ID', en: 'Register for Tongban ID' },
    fields: [idNumberField, nameField, newPasswordField, phoneField],
    submit: { 'zh-CN': '获取验证码', en: 'Send me a code' },
    note: {
      'zh-CN': '我们会向公安人口库核验您的姓名和身份证号码，并向手机发送验证码。',
      en: 'We check your name and ID number with the population registry and send a code to your phone.',
    },
  };
  return otpFlow({
    first: details,
    codeStep: codeChallenge(cfg.otp, {
      title: { 'zh-CN': '输入短信验证码', en: 'Enter the code from the text message' },
      submit: { 'zh-CN': '完成开通', en: 'Finish registration' },
    }),
    // submissions count per source address, wrong codes against the attempts; the texts count
    // in the number's daily caps like any other, or registration would text anyone without end
    otp: otpStep({ cfg: cfg.otp, data: pendingEnrolment, text: registrationCodeText }),
    async submit(ctx, input) {
      const read = readFields(input, details.fields, ctx.lang);
      if (!read.ok) return { status: 'failed', ...read.problem };
      const v = read.values as Record<'id_number' | 'name' | 'password' | 'phone', string>;
      const id = checkIdNumber(v.id_number);
      if (!id.ok) return { status: 'failed', ...id.problem };
      if (!nameSchema.safeParse(v.name).success) return { status: 'failed', reason: 'invalid_input', params: { field: nameField.label[ctx.lang] } };
      if (!phoneSchema.safeParse(v.phone).success) return { status: 'failed', reason: 'phone_malformed' };
      if (v.password.length < cfg.password.minLength || !/\p{L}/u.test(v.password) || !/\d/.test(v.password)) {
        return { status: 'failed', reason: 'password_weak' };
      }
      // every submission counts (reserved and never given back): the registry check is not free and must not become an oracle
      const gate = await ctx.limits.reserve([{ scope: 'enrol', id: ctx.sourceIp }]);
      if (!gate.ok) return { status: 'failed', reason: 'rate_limited', retryAfter: gate.retryAfter };

      const registry = await checkNameAgainstRegistry(ctx.authorities, id.idNumber, v.name);
      if (!registry.ok) return { status: 'failed', reason: registry.reason };
      if (await ctx.credentials.find(ID, id.idNumber)) return { status: 'failed', reason: 'already_registered' };

      const passwordHash = await ctx.secrets.hash(v.password);
      const data = { idNumber: id.idNumber, name: v.name, passwordHash, requestId: registry.requestId };
      return { send: { phone: v.phone, deliver: true, data, restart: true } };
    },
    async verified(ctx, phone, won) {
      const phoneOwner = await ctx.credentials.find('sms-otp', phone);
      return {
        status: 'verified',
        claim: { kind: 'id_number', idNumber: won.idNumber },
        level: cfg.level,
        amr: ['pwd'],
        enrol: {
          name: won.name,
          phone,
          proofing: 'remote',
          credentials: [
            { method: ID, identifier: won.idNumber, secretHash: won.passwordHash },
            // a phone already bound to someone else stays theirs; this person keeps it as a contact only
            ...(phoneOwner ? [] : [{ method: 'sms-otp', identifier: phone }]),
          ],
        },
        evidence: { registryRequestId: won.requestId },
      };
    },
  });
}

export const method = defineMethod({
  id: ID,
  messages,
  roles: ['password'],
  configSchema,
  create(cfg) {
    return {
      id: ID,
      group: 'common',
      factors: { pwd: 'know' },
      kiosk: true,
      label: { 'zh-CN': '身份证号码 + 密码', en: 'ID number + password' },
      description: { 'zh-CN': '已开通通办 ID 的居民', en: 'For residents who have registered' },
      level: cfg.level,
      amr: ['pwd'],
      flows: { login: loginFlow(cfg), enrol: enrolFlow(cfg) },
    };
  },
});
