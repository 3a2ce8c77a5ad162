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
  label: { 'zh-CN': '社会保障卡卡号', en: 'Social-security card number' },
  type: 'text',
  autocomplete: 'off',
  maxLength: 20,
  hint: { 'zh-CN': '卡面上的卡号，例如 SH12345678', en: 'The number printed on the card, e.g. SH12345678' },
};
const pinField: FieldSpec = {
  name: 'pin',
  label: { 'zh-CN': '社保卡密码', en: 'Card PIN' },
  type: 'password',
  inputMode: 'numeric',
  autocomplete: 'off',
  maxLength: 6,
  hint: { 'zh-CN': '6 位数字服务密码', en: 'Six digits' },
};

const CARD_NO = /^[A-Z0-9]{6,20}$/;
const PIN = /^\d{6}$/;

function loginFlow(cfg: SocialSecurityCardConfig, card: CardVerifier): Flow {
  const form: FormChallenge = {
    kind: 'form',
    step: 'card',
    title: { 'zh-CN': '社保卡登录', en: 'Sign in with your social-security card' },
    fields: [cardField, pinField],
    submit: { 'zh-CN': '登录', en: 'Sign in' },
    note: {
      'zh-CN': '卡号和密码由社保中心核验；密码加密后发送，本站不保存。',
      en: 'The social-security authority checks the card and PIN; the PIN is sent encrypted and never kept here.',
    },
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
      label: { 'zh-CN': '社保卡', en: 'Social-security card' },
      description: { 'zh-CN': '社会保障卡卡号 + 密码', en: 'Card number and PIN' },
      level: cfg.level,
      amr: ['sc', 'pin'],
      flows: { login: loginFlow(cfg, createCardVerifier(cfg, env)) },
    };
  },
});
