/**
 * `social-security-card`: a social-security card number and its PIN, checked by the
 * social-security authority, which vouches for the holder's resident ID number.
 */
import { defineMethod, type FieldSpec, type Flow } from '../kit/index.ts';
import { oneStepFormFlow, type FormChallenge } from '../kit/one-step-form.ts';
import { configSchema, type SocialSecurityCardConfig } from './config.ts';
import * as messages from './messages.ts';
import { AUTHORITY, createCardVerifier, type CardVerifier } from './connector.ts';
import { refuseConsoleInProduction } from '../kit/console-credentials.ts';

const ID = 'social-security-card';

const cardField: FieldSpec = {
  name: 'card_no',
  label: 'social-security-card.cardNumber',
  type: 'text',
  autocomplete: 'off',
  maxLength: 20,
  hint: 'social-security-card.cardNumberHint',
};
const pinField: FieldSpec = {
  name: 'pin',
  label: 'social-security-card.pin',
  type: 'password',
  inputMode: 'numeric',
  autocomplete: 'off',
  maxLength: 6,
  hint: 'social-security-card.pinHint',
};

const CARD_NO = /^[A-Z0-9]{6,20}$/;
const PIN = /^\d{6}$/;

function loginFlow(cfg: SocialSecurityCardConfig, card: CardVerifier): Flow {
  const form: FormChallenge = {
    kind: 'form',
    step: 'card',
    title: 'social-security-card.title',
    fields: [cardField, pinField],
    submit: 'formSignIn',
    note: 'social-security-card.note',
  };

  return oneStepFormFlow({
    id: ID,
    form,
    challenge: cfg.challenge,
    refused: 'ss_card_failed',
    authorityLocks: true,
    parse(values) {
      const cardNo = values.card_no!.replace(/\s+/g, '').toUpperCase();
      const pin = values.pin!;
      if (!CARD_NO.test(cardNo)) return { status: 'failed', reason: 'ss_card_number_malformed' };
      if (!PIN.test(pin)) return { status: 'failed', reason: 'ss_pin_malformed' };
      return { identifier: cardNo, secret: pin };
    },
    async check(ctx, cardNo, pin) {
      // one authority call whatever the card: unknown and wrong cost the same and read the same
      const check = await card.verify(cardNo, pin);
      if (check.kind === 'refused') return 'refused';
      if (check.kind === 'locked' || check.cardStatus !== 'normal') return { status: 'failed', reason: 'ss_card_blocked' };
      // a card an administrator disabled here stays disabled, whatever the authority says
      const known = await ctx.credentials.find(ID, cardNo);
      if (known && known.status !== 'active') return { status: 'failed', reason: 'ss_card_blocked' };
      return {
        status: 'verified',
        claim: { kind: 'id_number', idNumber: check.idNumber },
        level: cfg.level,
        amr: ['sc', 'pin'],
        ...(cfg.enrol
          ? { enrol: { name: check.name, proofing: 'remote' as const, credentials: [{ method: ID, identifier: cardNo }] } }
          : {}),
        evidence: { authority: AUTHORITY, cardStatus: check.cardStatus },
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
    refuseConsoleInProduction(env, ID, 'sandboxConsole' in cfg.credentials, 'configure the credentials');
    return {
      id: ID,
      group: 'cards',
      factors: { sc: 'have', pin: 'know' },
      label: 'social-security-card.label',
      description: 'social-security-card.description',
      level: cfg.level,
      amr: ['sc', 'pin'],
      flows: { login: loginFlow(cfg, createCardVerifier(cfg, env)) },
    };
  },
});
