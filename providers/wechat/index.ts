/**
 * `wechat`: WeChat's website-app QR login (authorization code). WeChat gives no ID number, so the
 * result is always the WeChat account itself (its unionid), which signs in only once a
 * signed-in person has bound it from the account page.
 */
import { z } from 'zod';
import { defineMethod, type Flow, type MethodContext, type VerifyResult } from '../kit/index.ts';
import { openAuthorization, takeAuthorizationCode } from '../kit/oauth-callback.ts';
import { configSchema, type WechatConfig } from './config.ts';
import * as messages from './messages.ts';
import { AUTHORITY, createWechatClient, type WechatClient } from './connector.ts';
import { refuseConsoleInProduction } from '../kit/console-credentials.ts';

const ID = 'wechat';
/**
 * RFC 8176 `swk`: the proof is the citizen's signed-in WeChat app confirming the scan (a
 * software key on their phone). WeChat does not say how that session was opened.
 */
const AMR = ['swk'] as const;

const callback = z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/).optional() });

function loginFlow(cfg: WechatConfig, wechat: WechatClient): Flow {
  async function start(ctx: MethodContext) {
    const appid = await wechat.appid();
    const state = await openAuthorization(ctx, cfg.stateTtlSeconds);
    const q = new URLSearchParams({ appid, redirect_uri: ctx.callbackUrl, response_type: 'code', scope: 'snsapi_login', state });
    // WeChat insists on this fragment on its connect URLs
    return { kind: 'redirect' as const, url: `${wechat.connectUrl()}?${q}#wechat_redirect` };
  }

  return {
    start,
    async verify(ctx, input): Promise<VerifyResult> {
      const taken = await takeAuthorizationCode(ctx, input, {
        callback,
        // WeChat comes back without a code when the citizen refused on the phone
        code: (cb) => cb.code,
        invalid: 'wechat_code_invalid',
        denied: 'wechat_denied',
      });
      if (!taken.ok) return taken.failure;

      const token = await wechat.exchangeCode(taken.code);
      if (!token.ok) return { status: 'failed', reason: 'wechat_code_invalid' };
      const unionid = await wechat.unionId(token.accessToken, token.openid);
      return {
        status: 'verified',
        claim: { kind: 'external', method: ID, identifier: unionid },
        level: cfg.level,
        amr: AMR,
        evidence: {},
      };
    },
  };
}

export const method = defineMethod({
  id: ID,
  messages,
  authority: AUTHORITY,
  configSchema,
  create(cfg, env) {
    refuseConsoleInProduction(env, ID, cfg.sandboxConsole === true, 'give "credentials" from the WeChat console');
    return {
      id: ID,
      group: 'apps',
      factors: { swk: 'have' },
      label: 'wechat.label',
      description: 'wechat.description',
      level: cfg.level,
      amr: AMR,
      bindable: true,
      flows: { login: loginFlow(cfg, createWechatClient(cfg, env)) },
    };
  },
});
