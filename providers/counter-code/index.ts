/**
 * `counter-code`: a citizen without a phone, verified in person at a service centre, gets a
 * printed single-use code and types it at a hall kiosk or any PC. Level 2, amr `user`.
 * Afterwards they may choose a password, so they can come back on their own.
 */
import { z } from 'zod';
import { defineMethod, type Challenge, type FieldSpec, type MethodContext, type StaffIssued, type VerifyResult } from '../kit/index.ts';
import { readFields } from '../kit/fields.ts';
import { weakPassword } from '../kit/schemas.ts';
import { configSchema, type CounterCodeConfig } from './config.ts';
import * as messages from './messages.ts';
import { ALPHABET, generateCode, normaliseCode, redeemCode, storeCode } from './connector.ts';

const ID = 'counter-code';
/** the method whose password a citizen let in by a code may choose (its id, as data) */
const PASSWORD_METHOD = 'id-card-password';
type FormChallenge = Extract<Challenge, { kind: 'form' }>;

const codeInput: FieldSpec = {
  name: 'code',
  label: 'counter-code.code',
  type: 'text',
  autocomplete: 'off',
  maxLength: 20,
  hint: 'counter-code.codeHint',
};
const passwordInput: FieldSpec = {
  name: 'password',
  label: 'counter-code.password',
  type: 'password',
  autocomplete: 'new-password',
  maxLength: 128,
  optional: true,
  hint: 'counter-code.passwordHint',
};

const entered = z.object({ personId: z.string() });

function flow(cfg: CounterCodeConfig) {
  const codeForm: FormChallenge = {
    kind: 'form',
    step: 'code',
    title: 'counter-code.codeTitle',
    fields: [codeInput],
    submit: 'formSignIn',
    note: 'counter-code.codeNote',
  };
  const passwordForm: FormChallenge = {
    kind: 'form',
    step: 'password',
    title: 'counter-code.passwordTitle',
    fields: [passwordInput],
    submit: 'continue',
    note: 'counter-code.passwordNote',
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
    // the policy's rules for the person's password (the same wherever it is set)
    if (password && weakPassword(password, cfg.password)) {
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
      label: 'counter-code.label',
      description: 'counter-code.description',
      level: cfg.level,
      amr: ['user'],
      flows: { login: flow(cfg) },
      staffIssued,
    };
  },
});
