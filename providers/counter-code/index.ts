/**
 * `counter-code`: a citizen without a phone, verified in person at a service centre, gets a
 * printed single-use code and types it at a hall kiosk or any PC. Level 2, amr `user`.
 * Afterwards they may choose a password, so they can come back on their own.
 */
import { z } from 'zod';
import { defineMethod, type Challenge, type FieldSpec, type MethodContext, type StaffIssued, type VerifyResult } from '../kit/index.ts';
import { readFields } from '../kit/fields.ts';
import { configSchema, type CounterCodeConfig } from './config.ts';
import * as messages from './messages.ts';
import { ALPHABET, generateCode, normaliseCode, redeemCode, storeCode } from './connector.ts';

const ID = 'counter-code';
/** the method whose password a citizen let in by a code may choose (its id, as data) */
const PASSWORD_METHOD = 'id-card-password';
type FormChallenge = Extract<Challenge, { kind: 'form' }>;

const codeInput: FieldSpec = {
  name: 'code',
  label: { 'zh-CN': '窗口码', en: 'Counter code' },
  type: 'text',
  autocomplete: 'off',
  maxLength: 20,
  hint: { 'zh-CN': '纸条上的 8 位字母数字，不区分大小写', en: 'The 8 letters and digits on your slip; case does not matter' },
};
const passwordInput: FieldSpec = {
  name: 'password',
  label: { 'zh-CN': '设置密码（可不填）', en: 'Choose a password (optional)' },
  type: 'password',
  autocomplete: 'new-password',
  maxLength: 128,
  optional: true,
  hint: { 'zh-CN': '至少 8 位，包含字母和数字。设置后可用身份证号码 + 密码自行登录。', en: 'At least 8 characters with letters and digits; then you can sign in with your ID number and password.' },
};

const entered = z.object({ personId: z.string() });

function flow(cfg: CounterCodeConfig) {
  const codeForm: FormChallenge = {
    kind: 'form',
    step: 'code',
    title: { 'zh-CN': '输入窗口码', en: 'Enter your counter code' },
    fields: [codeInput],
    submit: { 'zh-CN': '登录', en: 'Sign in' },
    note: { 'zh-CN': '窗口码由社区事务受理服务中心工作人员当面发放，只能使用一次。', en: 'Counter codes are handed out in person at a community service centre and work once.' },
  };
  const passwordForm: FormChallenge = {
    kind: 'form',
    step: 'password',
    title: { 'zh-CN': '设置登录密码（可选）', en: 'Choose a password (optional)' },
    fields: [passwordInput],
    submit: { 'zh-CN': '继续', en: 'Continue' },
    note: { 'zh-CN': '不想设置可以直接点“继续”。', en: 'To skip, just press “Continue”.' },
  };

  async function enterCode(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult> {
    const read = readFields(input, codeForm.fields, ctx.lang);
    if (!read.ok) return { status: 'failed', ...read.problem };
    const code = normaliseCode(read.values.code!);
    // a code has no account to guess at: per source address and service-wide, counted before the code is looked up
    const gate = await ctx.limits.reserve([
      { scope: 'ip', id: ctx.sourceIp },
      { scope: 'global', id: ID },
    ]);
    if (!gate.ok) return { status: 'failed', reason: 'rate_limited', retryAfter: gate.retryAfter };
    const wellFormed = code.length === cfg.length && [...code].every((c) => ALPHABET.includes(c));
    const entry = wellFormed ? await redeemCode(ctx.shared, ctx.codes, code) : null;
    if (!entry) {
      const backoff = await gate.failed();
      return { status: 'failed', reason: 'counter_code_invalid', ...(backoff ? { retryAfter: backoff } : {}) };
    }
    await gate.succeeded();
    await ctx.state.put({ personId: entry.personId }, 900);
    return { status: 'pending', challenge: passwordForm };
  }

  async function choosePassword(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult> {
    const who = await ctx.state.get(entered);
    if (!who) return { status: 'failed', reason: 'challenge_expired', challenge: codeForm };
    const password = input.password ?? '';
    if (password && (password.length < 8 || password.length > 128 || !/\p{L}/u.test(password) || !/\d/.test(password))) {
      return { status: 'failed', reason: 'password_weak', challenge: passwordForm };
    }
    const taken = await ctx.state.consume(entered);
    if (!taken) return { status: 'failed', reason: 'challenge_expired', challenge: codeForm };
    return {
      status: 'verified',
      claim: { kind: 'person', personId: taken.personId },
      level: cfg.level,
      amr: ['user'],
      // identified by the person's ID number (no identifier given)
      ...(password ? { credentials: [{ method: PASSWORD_METHOD, secretHash: await ctx.secrets.hash(password) }] } : {}),
      evidence: { counterCode: true },
    };
  }

  return {
    start: async () => codeForm,
    verify: (ctx: MethodContext, input: Readonly<Record<string, string>>) => (input.step === 'password' ? choosePassword(ctx, input) : enterCode(ctx, input)),
  };
}

export const method = defineMethod({
  id: ID,
  messages,
  configSchema,
  create(cfg) {
    // the counter console: a new code for a person verified in person
    const staffIssued: StaffIssued = {
      ttlSeconds: cfg.ttlSeconds,
      async issue({ shared, codes }, entry) {
        const code = generateCode(cfg.length);
        await storeCode(shared, codes, code, { ...entry, issuedAt: Date.now() }, cfg.ttlSeconds);
        return { code, expiresIn: cfg.ttlSeconds };
      },
    };
    return {
      id: ID,
      group: 'common' as const,
      factors: {},
      kiosk: true,
      label: { 'zh-CN': '我有窗口码', en: 'I have a counter code' },
      description: { 'zh-CN': '没有手机？到服务中心窗口领取', en: 'No phone? Get one at a service centre counter' },
      level: cfg.level,
      amr: ['user'],
      flows: { login: flow(cfg) },
      staffIssued,
    };
  },
});
