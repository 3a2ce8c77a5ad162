/**
 * `housing-fund`: a housing-fund (公积金) account number and its password, checked by the
 * housing-fund centre, which vouches for the holder's resident ID number. Level 1: it signs in
 * people who already exist and, unless configured to enrol, creates and links nothing.
 */
import { defineMethod, type FieldSpec, type Flow } from '../kit/index.ts';
import { oneStepFormFlow, type FormChallenge } from '../kit/one-step-form.ts';
import { configSchema, type HousingFundConfig } from './config.ts';
import * as messages from './messages.ts';
import { AUTHORITY, createAccountVerifier, type AccountVerifier } from './connector.ts';
import { refuseConsoleInProduction } from '../kit/console-credentials.ts';

const ID = 'housing-fund';

const accountField: FieldSpec = {
  name: 'account',
  label: 'housing-fund.account',
  type: 'text',
  inputMode: 'numeric',
  autocomplete: 'username',
  maxLength: 12,
  hint: 'housing-fund.accountHint',
};
const passwordField: FieldSpec = {
  name: 'password',
  label: 'housing-fund.password',
  type: 'password',
  autocomplete: 'current-password',
  maxLength: 64,
};

const ACCOUNT = /^\d{12}$/;

function loginFlow(cfg: HousingFundConfig, centre: AccountVerifier): Flow {
  const form: FormChallenge = {
    kind: 'form',
    step: 'account',
    title: 'housing-fund.title',
    fields: [accountField, passwordField],
    submit: 'formSignIn',
    note: 'housing-fund.note',
  };

  return oneStepFormFlow({
    id: ID,
    form,
    challenge: cfg.challenge,
    refused: 'hf_login_failed',
    parse(values) {
      const account = values.account!;
      if (!ACCOUNT.test(account)) return { status: 'failed', reason: 'hf_account_malformed' };
      return { identifier: account, secret: values.password! };
    },
    async check(ctx, account, password) {
      // one centre call whatever the account: unknown and wrong cost the same and read the same
      const check = await centre.verify(account, password);
      if (check.kind === 'refused') return 'refused';
      if (check.status !== '01') return { status: 'failed', reason: 'hf_account_sealed' };
      const known = await ctx.credentials.find(ID, account);
      if (known && known.status !== 'active') return { status: 'failed', reason: 'hf_account_disabled' };
      return {
        status: 'verified',
        claim: { kind: 'id_number', idNumber: check.idNumber },
        level: cfg.level,
        amr: ['pwd'],
        // without enrolment the claim only finds an existing person (else `not_enrolled`) and links nothing
        ...(cfg.enrol
          ? { enrol: { name: check.name, proofing: 'remote' as const, credentials: [{ method: ID, identifier: account }] } }
          : {}),
        evidence: { authority: AUTHORITY },
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
      factors: { pwd: 'know' },
      label: 'housing-fund.label',
      description: 'housing-fund.description',
      level: cfg.level,
      amr: ['pwd'],
      flows: { login: loginFlow(cfg, createAccountVerifier(cfg, env)) },
    };
  },
});
