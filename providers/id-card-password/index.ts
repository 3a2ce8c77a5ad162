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
  type MethodContext,
  type RateKey,
  type VerifyResult,
} from '../kit/index.ts';
import {
  checkIdNumber,
  codeField,
  idNumberField,
  maskPhone,
  nameField,
  nameSchema,
  phoneField,
  phoneSchema,
  readFields,
} from '../kit/fields.ts';
import { configSchema, type IdCardPasswordConfig } from './config.ts';
import { checkNameAgainstRegistry, sendRegistrationCode } from './connector.ts';

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
  phone: z.string(),
  passwordHash: z.string(),
  codeDigest: z.string(),
  requestId: z.string(),
});

function loginFlow(cfg: IdCardPasswordConfig): Flow {
  const form: FormChallenge = {
    kind: 'form',
    step: 'password',
    title: { 'zh-CN': '身份证号码 + 密码登录', en: 'Sign in with ID number and password' },
    fields: [idNumberField, passwordField],
    submit: { 'zh-CN': '登录', en: 'Sign in' },
  };
  return {
    start: async () => form,
    async verify(ctx, input): Promise<VerifyResult> {
      const read = readFields(input, form.fields, ctx.lang);
      if (!read.ok) return { status: 'failed', ...read.problem };
      const id = checkIdNumber(read.values.id_number!);
      if (!id.ok) return { status: 'failed', ...id.problem };

      const keys: RateKey[] = [
        { scope: 'id', id: `${ID}:${id.idNumber}` },
        { scope: 'ip', id: ctx.sourceIp },
      ];
      const gate = await ctx.limits.check(keys);
      if (!gate.ok) return { status: 'failed', reason: 'rate_limited', retryAfter: gate.retryAfter };

      const cred = await ctx.credentials.find(ID, id.idNumber);
      // an unknown person costs the same argon2id work as a wrong password
      const good = await ctx.secrets.verify(cred?.status === 'active' ? cred.secretHash : null, read.values.password!);
      if (!good || !cred) {
        const backoff = await ctx.limits.fail(keys);
        return backoff > 0
          ? { status: 'failed', reason: 'rate_limited', retryAfter: backoff }
          : { status: 'failed', reason: 'login_failed' };
      }
      await ctx.limits.reset(keys.slice(0, 1));
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
  const codeStep = (phone: string): Challenge => ({
    kind: 'otp_sent',
    step: 'code',
    title: { 'zh-CN': '输入短信验证码', en: 'Enter the code from the text message' },
    fields: [codeField(cfg.otp.length)],
    submit: { 'zh-CN': '完成开通', en: 'Finish registration' },
    sentTo: maskPhone(phone),
    resendAfter: cfg.otp.resendSeconds,
    expiresIn: cfg.otp.ttlSeconds,
  });

  async function sendCode(ctx: MethodContext, pending: Omit<z.infer<typeof pendingEnrolment>, 'codeDigest'>): Promise<void> {
    const code = ctx.codes.generate(cfg.otp.length);
    await ctx.state.clear();
    await ctx.state.put({ ...pending, codeDigest: ctx.codes.digest(code) }, cfg.otp.ttlSeconds);
    await sendRegistrationCode(ctx.authorities, pending.phone, code, Math.round(cfg.otp.ttlSeconds / 60));
  }

  async function submitDetails(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult> {
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
    const gate = await ctx.limits.check([{ scope: 'enrol', id: ctx.sourceIp }]);
    if (!gate.ok) return { status: 'failed', reason: 'rate_limited', retryAfter: gate.retryAfter };
    // every submission counts: the registry check is not free and must not become an oracle
    await ctx.limits.fail([{ scope: 'enrol', id: ctx.sourceIp }]);

    const registry = await checkNameAgainstRegistry(ctx.authorities, id.idNumber, v.name);
    if (!registry.ok) return { status: 'failed', reason: registry.reason };
    if (await ctx.credentials.find(ID, id.idNumber)) return { status: 'failed', reason: 'already_registered' };

    const passwordHash = await ctx.secrets.hash(v.password);
    await sendCode(ctx, { idNumber: id.idNumber, name: v.name, phone: v.phone, passwordHash, requestId: registry.requestId });
    await ctx.state.throttle('resend', cfg.otp.resendSeconds);
    return { status: 'pending', challenge: codeStep(v.phone) };
  }

  async function resend(ctx: MethodContext): Promise<VerifyResult> {
    const pending = await ctx.state.get(pendingEnrolment);
    if (!pending) return { status: 'failed', reason: 'otp_expired', challenge: details };
    const wait = await ctx.state.throttle('resend', cfg.otp.resendSeconds);
    if (!wait.ok) return { status: 'failed', reason: 'otp_resend_wait', retryAfter: wait.retryAfter, params: { seconds: wait.retryAfter }, challenge: codeStep(pending.phone) };
    await sendCode(ctx, pending);
    return { status: 'pending', challenge: codeStep(pending.phone) };
  }

  async function submitCode(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult> {
    const pending = await ctx.state.get(pendingEnrolment);
    if (!pending) return { status: 'failed', reason: 'otp_expired', challenge: details };
    const again = codeStep(pending.phone);
    const attempt = await ctx.state.attempt(cfg.otp.maxAttempts, cfg.otp.ttlSeconds);
    if (!attempt.allowed) {
      await ctx.state.clear();
      return { status: 'failed', reason: 'otp_expired', challenge: details };
    }
    const code = (input.code ?? '').trim();
    if (!/^\d+$/.test(code) || code.length !== cfg.otp.length || !ctx.codes.matches(pending.codeDigest, code)) {
      return { status: 'failed', reason: 'otp_invalid', challenge: again };
    }
    // consume, so the same code cannot finish two registrations
    const won = await ctx.state.consume(pendingEnrolment);
    if (!won) return { status: 'failed', reason: 'otp_expired', challenge: details };
    await ctx.state.clear();

    const phoneOwner = await ctx.credentials.find('sms-otp', won.phone);
    return {
      status: 'verified',
      claim: { kind: 'id_number', idNumber: won.idNumber },
      level: cfg.level,
      amr: ['pwd'],
      enrol: {
        name: won.name,
        phone: won.phone,
        proofing: 'remote',
        credentials: [
          { method: ID, identifier: won.idNumber, secretHash: won.passwordHash },
          // a phone already bound to someone else stays theirs; this person keeps it as a contact only
          ...(phoneOwner ? [] : [{ method: 'sms-otp', identifier: won.phone }]),
        ],
      },
      evidence: { registryRequestId: won.requestId },
    };
  }

  return {
    start: async () => details,
    async verify(ctx, input) {
      if (input.step === 'code') return input.action === 'resend' ? resend(ctx) : submitCode(ctx, input);
      return submitDetails(ctx, input);
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
      label: { 'zh-CN': '身份证号码 + 密码', en: 'ID number + password' },
      description: { 'zh-CN': '已开通通办 ID 的居民', en: 'For residents who have registered' },
      level: cfg.level,
      amr: ['pwd'],
      flows: { login: loginFlow(cfg), enrol: enrolFlow(cfg) },
    };
  },
});
