/**
 * The WeChat Open Platform "website app" login API: code → access token + openid/unionid, then
 * the user's profile. Errors arrive with HTTP 200 as `{ errcode, errmsg }`, so every answer is
 * parsed as either that or the success shape.
 */
import { z } from 'zod';
import { callAuthority, AuthorityUnavailable } from '../kit/core.ts';
import type { MethodEnv } from '../kit/index.ts';
import type { WechatConfig } from './config.ts';
import { consoleCredentials } from '../kit/console-credentials.ts';

export const AUTHORITY = 'wechat';

const consoleAnswer = z.object({ appid: z.string().regex(/^wx[0-9a-f]{16}$/), secret: z.string().regex(/^[0-9a-f]{32}$/) });
type Credentials = z.infer<typeof consoleAnswer>;

const errorAnswer = z.object({ errcode: z.number().int().refine((n) => n !== 0), errmsg: z.string().max(512) });
const openId = z.string().regex(/^[\w-]{1,64}$/);
const tokenAnswer = z.object({
  access_token: z.string().min(1).max(512),
  expires_in: z.number().int(),
  refresh_token: z.string().max(512).optional(),
  openid: openId,
  scope: z.string().max(128),
  unionid: openId.optional(),
});
const userAnswer = z.object({
  openid: openId,
  nickname: z.string().max(256).optional(),
  sex: z.number().int().optional(),
  province: z.string().max(64).optional(),
  city: z.string().max(64).optional(),
  country: z.string().max(64).optional(),
  headimgurl: z.string().max(1024).optional(),
  privilege: z.array(z.string().max(64)).max(20).optional(),
  // without a unionid the app is not linked to an Open Platform account: a setup fault, not the citizen's
  unionid: openId,
});

/** 40029 invalid code, 40163 code already used: the citizen may scan again. */
const CODE_INVALID = new Set([40029, 40163]);

export interface WechatClient {
  appid(): Promise<string>;
  connectUrl(): string;
  exchangeCode(code: string): Promise<{ ok: true; accessToken: string; openid: string } | { ok: false }>;
  unionId(accessToken: string, openid: string): Promise<string>;
}

export function createWechatClient(cfg: WechatConfig, env: MethodEnv): WechatClient {
  const base = `${env.authoritiesUrl.replace(/\/+$/, '')}/${AUTHORITY}`;
  const api = (cfg.apiUrl ?? base).replace(/\/+$/, '');
  // like copying them from the console once: fetched on first use, kept for the process
  const creds = consoleCredentials<Credentials>({
    authority: AUTHORITY,
    baseUrl: base,
    schema: consoleAnswer,
    timeoutMs: env.timeoutMs,
    fixed: cfg.sandboxConsole ? null : cfg.credentials,
  });
  const credentials = () => creds.get();

  const get = <T>(path: string, query: Record<string, string>, schema: z.ZodType<T>, retries: number) =>
    callAuthority({
      authority: AUTHORITY,
      url: `${api}${path}?${new URLSearchParams(query)}`,
      method: 'GET',
      schema: z.union([errorAnswer, schema]),
      timeoutMs: env.timeoutMs,
      retries,
    });

  return {
    appid: async () => (await credentials()).appid,
    connectUrl: () => cfg.connectUrl ?? `${base}/connect/qrconnect`,
    async exchangeCode(code) {
      const { appid, secret } = await credentials();
      // a code works once: never resent
      const a = await get('/sns/oauth2/access_token', { appid, secret, code, grant_type: 'authorization_code' }, tokenAnswer, 0);
      if ('errcode' in a) {
        if (CODE_INVALID.has(a.errcode)) return { ok: false };
        throw new AuthorityUnavailable(AUTHORITY, 'http', `access_token errcode ${a.errcode}`);
      }
      return { ok: true, accessToken: a.access_token, openid: a.openid };
    },
    async unionId(accessToken, openid) {
      const a = await get('/sns/userinfo', { access_token: accessToken, openid }, userAnswer, 1);
      // a token issued a moment ago that WeChat refuses is their fault, not the citizen's
      if ('errcode' in a) throw new AuthorityUnavailable(AUTHORITY, 'http', `userinfo errcode ${a.errcode}`);
      if (a.openid !== openid) throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'userinfo names another openid');
      return a.unionid;
    },
  };
}
