/**
 * `alipay`: Alipay's authorization-code login. The citizen approves in Alipay; we exchange the
 * auth code server to server and read their real-name data. A certified user brings a verified
 * ID number (and is linked or enrolled); an uncertified one is an account that must be bound.
 */
import { z } from 'zod';
import { AuthorityUnavailable } from '../kit/core.ts';
import { defineMethod, type Flow, type MethodContext, type VerifyResult } from '../kit/index.ts';
import { checkIdNumber, nameSchema } from '../kit/fields.ts';
import { openAuthorization, takeAuthorizationCode } from '../kit/oauth-callback.ts';
import { configSchema, type AlipayConfig } from './config.ts';
import * as messages from './messages.ts';
import { AUTHORITY, createAlipayClient, type AlipayClient, type AlipayUser } from './connector.ts';
import { refuseConsoleInProduction } from '../kit/console-credentials.ts';

const ID = 'alipay';
/**
 * RFC 8176 `swk`: the proof is the citizen's signed-in Alipay app (a software key on their
 * phone). Alipay does not tell us how that session was opened (password, fingerprint, face),
 * so claiming `pwd` or `face` would be a guess.
 */
const AMR = ['swk'] as const;

const callback = z.object({
  auth_code: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/).optional(),
  error: z.string().max(128).optional(),
});

/** Who Alipay says this is: a verified resident ID number when certified, otherwise only the account. */
function claimFor(cfg: AlipayConfig, user: AlipayUser): VerifyResult {
  const base = { status: 'verified' as const, level: cfg.level, amr: AMR };
  const id = user.is_certified === 'T' && user.cert_type === '0' && user.cert_no ? checkIdNumber(user.cert_no) : null;
  const name = user.user_name?.trim();
  if (!id?.ok || !name || !nameSchema.safeParse(name).success) {
    return { ...base, claim: { kind: 'external', method: ID, identifier: user.user_id }, evidence: { certified: false } };
  }
  return {
    ...base,
    claim: { kind: 'id_number', idNumber: id.idNumber },
    ...(cfg.enrol ? { enrol: { name, proofing: 'remote', credentials: [{ method: ID, identifier: user.user_id }] } } : {}),
    evidence: { certified: true },
  };
}

function loginFlow(cfg: AlipayConfig, alipay: AlipayClient): Flow {
  async function start(ctx: MethodContext) {
    const appId = await alipay.appId();
    const state = await openAuthorization(ctx, cfg.stateTtlSeconds);
    const url = new URL(alipay.authorizeUrl());
    url.searchParams.set('app_id', appId);
    url.searchParams.set('scope', 'auth_user');
    url.searchParams.set('redirect_uri', ctx.callbackUrl);
    url.searchParams.set('state', state);
    return { kind: 'redirect' as const, url: url.href };
  }

  return {
    start,
    async verify(ctx, input): Promise<VerifyResult> {
      const taken = await takeAuthorizationCode(ctx, input, {
        callback,
        code: (cb) => (cb.error ? undefined : cb.auth_code),
        invalid: 'alipay_code_invalid',
        denied: 'alipay_denied',
      });
      if (!taken.ok) return taken.failure;

      const token = await alipay.exchangeCode(taken.code);
      if (!token.ok) return { status: 'failed', reason: 'alipay_code_invalid' };
      const user = await alipay.userInfo(token.accessToken);
      if (user.user_id !== token.userId) throw new AuthorityUnavailable(ID, 'malformed', 'user.info.share names another user than oauth.token');
      return claimFor(cfg, user);
    },
  };
}

export const method = defineMethod({
  id: ID,
  messages,
  authority: AUTHORITY,
  configSchema,
  create(cfg, env) {
    refuseConsoleInProduction(env, ID, cfg.sandboxConsole === true, 'give "credentials" from the Alipay console');
    return {
      id: ID,
      group: 'apps',
      factors: { swk: 'have' },
      label: 'alipay.label',
      description: 'alipay.description',
      level: cfg.level,
      amr: AMR,
      bindable: true,
      flows: { login: loginFlow(cfg, createAlipayClient(cfg, env)) },
    };
  },
});
