/**
 * `bank-card`: name + ID number + debit card number + the phone the bank has on record,
 * confirmed by the bank-verification authority (four-element check), then a code texted to
 * that phone. Yields the ID number, enrolling the person and binding the card.
 */
import { z } from 'zod';
import { defineMethod, type Challenge, type FieldSpec, type Flow, type MethodContext, type VerifyResult } from '../kit/index.ts';
import { checkIdNumber, idNumberField, invalidField, nameField, nameSchema, phoneField, phoneSchema, readFields } from '../kit/fields.ts';
import { codeChallenge, otpFlow, otpStep } from '../kit/otp.ts';
import { cardShapeOk, luhnValid, normaliseCardNumber } from './card.ts';
import { configSchema, type BankCardConfig } from './config.ts';
import * as messages from './messages.ts';
import { AUTHORITY, createBankConnector, loginCodeText, type BankConnector, type FourElementResult } from './connector.ts';
import { refuseConsoleInProduction } from '../kit/console-credentials.ts';

const ID = 'bank-card';
type FormChallenge = Extract<Challenge, { kind: 'form' }>;

const cardField: FieldSpec = {
  name: 'card_number',
  label: 'bank-card.cardNumber',
  type: 'text',
  inputMode: 'numeric',
  autocomplete: 'cc-number',
  // 19 digits with the spaces people type between groups
  maxLength: 23,
  hint: 'bank-card.cardNumberHint',
};
const reservedPhoneField: FieldSpec = {
  ...phoneField,
  label: 'bank-card.reservedPhone',
};

const REFUSALS: Readonly<Record<Exclude<FourElementResult, 'match'>, 'bank_card_mismatch' | 'bank_card_not_found' | 'bank_card_frozen'>> = {
  mismatch: 'bank_card_mismatch',
  not_found: 'bank_card_not_found',
  frozen: 'bank_card_frozen',
};

const pendingData = z.object({
  idNumber: z.string(),
  name: z.string(),
  cardNumber: z.string(),
  requestId: z.string(),
});

/** The four-element check costs money and answers whether the details fit: limited like a guessed secret. */
const checkAccount = (idNumber: string) => ({ method: `${ID}:verify4`, identifier: idNumber });

function loginFlow(cfg: BankCardConfig, bank: BankConnector): Flow {
  const details: FormChallenge = {
    kind: 'form',
    step: 'details',
    title: 'bank-card.detailsTitle',
    fields: [nameField, idNumberField, cardField, reservedPhoneField],
    submit: 'bank-card.detailsSubmit',
    note: 'bank-card.detailsNote',
  };
  const invalid = (ctx: MethodContext, f: FieldSpec): VerifyResult => ({ status: 'failed', ...invalidField(f, ctx.lang) });

  return otpFlow({
    first: details,
    codeStep: codeChallenge(cfg.otp, {
      title: 'bank-card.codeTitle',
      submit: 'formSignIn',
    }),
    otp: otpStep({
      cfg: cfg.otp,
      data: pendingData,
      text: loginCodeText,
      account: (_phone, data) => ({ method: ID, identifier: data.idNumber }),
    }),
    async submit(ctx, input) {
      const read = readFields(input, details.fields, ctx.lang);
      if (!read.ok) return { status: 'failed', ...read.problem };
      const v = read.values as Record<'name' | 'id_number' | 'card_number' | 'phone', string>;
      if (!nameSchema.safeParse(v.name).success) return invalid(ctx, nameField);
      const id = checkIdNumber(v.id_number);
      if (!id.ok) return { status: 'failed', ...id.problem };
      const card = normaliseCardNumber(v.card_number);
      if (!cardShapeOk(card)) return { status: 'failed', reason: 'bank_card_malformed' };
      if (!luhnValid(card)) return { status: 'failed', reason: 'bank_card_luhn' };
      if (!phoneSchema.safeParse(v.phone).success) return { status: 'failed', reason: 'phone_malformed' };
      const guess = await ctx.limits.guess(checkAccount(id.idNumber));
      if (!guess.ok) return { status: 'failed', reason: 'rate_limited', retryAfter: guess.retryAfter };
      let checked: Awaited<ReturnType<BankConnector['verify4']>>;
      try {
        checked = await bank.verify4({ name: v.name, idNumber: id.idNumber, cardNumber: card, mobile: v.phone });
      } catch (err) {
        await guess.release();
        throw err;
      }
      if (checked.result !== 'match') {
        await guess.failed();
        return { status: 'failed', reason: REFUSALS[checked.result] };
      }
      // the details fit: the person is not held back by their own logins
      await guess.succeeded();
      return {
        send: {
          phone: v.phone,
          deliver: true,
          data: { idNumber: id.idNumber, name: v.name, cardNumber: card, requestId: checked.requestId },
        },
      };
    },
    async verified(ctx, phone, d) {
      const verified = {
        status: 'verified',
        claim: { kind: 'id_number', idNumber: d.idNumber },
        level: cfg.level,
        amr: ['otp', 'mfa'],
        evidence: { bankRequestId: d.requestId },
      } as const;
      // with enrolment off, a person we do not know yet is refused (not_enrolled) by the login itself;
      // asked only now, so the answer goes to no one but the phone's holder
      if (!cfg.enrol && !(await ctx.credentials.personExists(d.idNumber))) return verified;
      return {
        ...verified,
        enrol: {
          name: d.name,
          phone,
          proofing: 'remote',
          credentials: [{ method: ID, identifier: d.cardNumber }],
        },
      };
    },
  });
}

export const method = defineMethod({
  id: ID,
  messages,
  authority: AUTHORITY,
  configSchema,
  create(cfg, env) {
    const fromConsole = 'sandboxConsole' in cfg.credentials;
    refuseConsoleInProduction(env, ID, fromConsole, 'set merchantId and apiKey from the bank');
    const bank = createBankConnector({
      baseUrl: cfg.baseUrl ?? `${env.authoritiesUrl.replace(/\/+$/, '')}/${AUTHORITY}`,
      timeoutMs: env.timeoutMs,
      credentials: 'sandboxConsole' in cfg.credentials ? 'sandbox-console' : cfg.credentials,
    });
    return {
      id: ID,
      group: 'apps',
      factors: { otp: 'have' },
      label: 'bank-card.label',
      description: 'bank-card.description',
      level: cfg.level,
      amr: ['otp', 'mfa'],
      flows: { login: loginFlow(cfg, bank) },
    };
  },
});
