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
  invalidField,
  nameField,
  nameSchema,
  phoneField,
  phoneSchema,
  readFields,
} from '../kit/fields.ts';
import { codeChallenge, otpFlow, otpStep } from '../kit/otp.ts';
import { weakPassword } from '../kit/schemas.ts';
import { configSchema, type IdCardPasswordConfig } from './config.ts';
import * as messages from './messages.ts';
import { checkNameAgainstRegistry, registrationCodeText } from './connector.ts';

const ID = 'id-card-password';
type FormChallenge = Extract<Challenge, { kind: 'form' }>;

const passwordField: FieldSpec = {
  name: 'password',
  label: 'id-card-password.password',
  type: 'password',
  autocomplete: 'current-password',
  maxLength: 128,
};
const newPasswordField: FieldSpec = {
  ...passwordField,
  autocomplete: 'new-password',
  hint: 'id-card-password.newPasswordHint',
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
    title: 'id-card-password.loginTitle',
    fields: [idNumberField, passwordField],
    submit: 'formSignIn',
    help: { path: '/help/password', label: 'id-card-password.forgotten' },
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
    title: 'id-card-password.registerTitle',
    fields: [idNumberField, nameField, newPasswordField, phoneField],
    submit: 'formSendCode',
    note: 'id-card-password.registerNote',
  };
  return otpFlow({
    first: details,
    codeStep: codeChallenge(cfg.otp, {
      title: 'id-card-password.codeTitle',
      submit: 'id-card-password.codeSubmit',
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
      if (!nameSchema.safeParse(v.name).success) return { status: 'failed', ...invalidField(nameField, ctx.lang) };
      if (!phoneSchema.safeParse(v.phone).success) return { status: 'failed', reason: 'phone_malformed' };
      // the policy's rules in force: length, letters and digits, not a refused common password
      if (weakPassword(v.password, cfg.password)) {
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
      label: 'id-card-password.label',
      description: 'id-card-password.description',
      level: cfg.level,
      amr: ['pwd'],
      flows: { login: loginFlow(cfg), enrol: enrolFlow(cfg) },
    };
  },
});
