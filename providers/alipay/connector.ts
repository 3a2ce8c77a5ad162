/**
 * The Alipay open-platform gateway: `alipay.system.oauth.token` (auth code → access token) and
 * `alipay.user.info.share` (the user's real-name data). Requests are form-encoded and signed
 * RSA2 with the app's private key; answers are verified with Alipay's public key over the exact
 * text of their `*_response` member.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { callAuthorityWithText, AuthorityUnavailable, issuePaths } from '../kit/core.ts';
import type { MethodEnv } from '../kit/index.ts';
import type { AlipayConfig } from './config.ts';
import { beijingTimestamp, memberText, rsa2Sign, rsa2Verify, signingString } from './rsa2.ts';
import { consoleCredentials } from '../kit/console-credentials.ts';

export const AUTHORITY = 'alipay';
const MAX_ANSWER_CHARS = 200_000;

interface Keys {
  appId: string;
  appPrivateKey: KeyObject;
  alipayPublicKey: KeyObject;
}

const consoleAnswer = z.object({
  app_id: z.string().regex(/^\d{10,32}$/),
  app_private_key: z.string().min(1).max(8192),
  alipay_public_key: z.string().min(1).max(4096),
});

const errorResponse = z.object({
  code: z.string().max(16),
  msg: z.string().max(256),
  sub_code: z.string().max(128).optional(),
  sub_msg: z.string().max(512).optional(),
});

const seconds = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,10}$/)]);
const tokenResponse = z.object({
  user_id: z.string().regex(/^\d{16}$/),
  access_token: z.string().min(1).max(512),
  expires_in: seconds,
  refresh_token: z.string().max(512).optional(),
  re_expires_in: seconds.optional(),
});

const userInfoResponse = z.object({
  code: z.literal('10000'),
  msg: z.string().max(256),
  user_id: z.string().regex(/^\d{16}$/),
  nick_name: z.string().max(128).optional(),
  is_certified: z.enum(['T', 'F']).optional(),
  cert_type: z.string().max(8).optional(),
  cert_no: z.string().max(32).optional(),
  user_name: z.string().max(64).optional(),
});
export type AlipayUser = z.infer<typeof userInfoResponse>;

/** Auth codes Alipay reports as not (or no longer) valid: the citizen may start again. */
const CODE_INVALID = new Set(['isv.code-invalid', 'isv.code-expired', 'isv.code-used']);

export interface AlipayClient {
  appId(): Promise<string>;
  authorizeUrl(): string;
  exchangeCode(code: string): Promise<{ ok: true; userId: string; accessToken: string } | { ok: false }>;
  userInfo(accessToken: string): Promise<AlipayUser>;
}

export function createAlipayClient(cfg: AlipayConfig, env: MethodEnv): AlipayClient {
  const base = `${env.authoritiesUrl.replace(/\/+$/, '')}/${AUTHORITY}`;
  const gatewayUrl = cfg.gatewayUrl ?? `${base}/gateway.do`;
  // like downloading them from the console once: fetched on first use, kept for the process
  const fromConsole = consoleCredentials({
    authority: AUTHORITY,
    baseUrl: base,
    schema: consoleAnswer,
    timeoutMs: env.timeoutMs,
    map: (c) => toKeys(c.app_id, c.app_private_key, c.alipay_public_key),
  });
  let configured: Keys | null = null;
  function loadKeys(): Promise<Keys> {
    if (cfg.sandboxConsole) return fromConsole.get();
    configured ??= toKeys(cfg.credentials.appId, cfg.credentials.appPrivateKey, cfg.credentials.alipayPublicKey);
    return Promise.resolve(configured);
  }

  async function call(method: string, biz: Record<string, string>, retries: number) {
    const k = await loadKeys();
    const params: Record<string, string> = {
      app_id: k.appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: beijingTimestamp(),
      version: '1.0',
      ...biz,
    };
    params.sign = rsa2Sign(signingString(params), k.appPrivateKey);
    const answer = await callAuthorityWithText({
      authority: AUTHORITY,
      url: gatewayUrl,
      form: params,
      // the gateway reads the charset from here
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      // checked in readSigned: a missing or odd `sign` is a signature failure, not a shape one
      schema: z.unknown(),
      maxResponseChars: MAX_ANSWER_CHARS,
      timeoutMs: env.timeoutMs,
      retries,
    });
    return readSigned(answer.text, answer.value, `${method.replace(/\./g, '_')}_response`, k.alipayPublicKey);
  }

  return {
    appId: async () => (await loadKeys()).appId,
    authorizeUrl: () => cfg.authorizeUrl ?? `${base}/oauth2/publicAppAuthorize.htm`,
    async exchangeCode(code) {
      // an auth code works once: never resent
      const answer = await call('alipay.system.oauth.token', { grant_type: 'authorization_code', code }, 0);
      // errors come as `error_response`, or (older gateway versions) inside the method's own member
      const coded = errorResponse.safeParse(answer.value);
      if (answer.member === 'error_response' || (coded.success && coded.data.code !== '10000')) {
        const e = parse(errorResponse, answer.value);
        if (e.sub_code && CODE_INVALID.has(e.sub_code)) return { ok: false };
        throw new AuthorityUnavailable(AUTHORITY, 'http', `oauth.token error ${e.code} ${e.sub_code ?? ''}`.trim());
      }
      const t = parse(tokenResponse, answer.value);
      return { ok: true, userId: t.user_id, accessToken: t.access_token };
    },
    async userInfo(accessToken) {
      const answer = await call('alipay.user.info.share', { auth_token: accessToken }, 1);
      const e = errorResponse.safeParse(answer.value);
      // a token issued a moment ago that Alipay refuses is their fault, not the citizen's
      if (answer.member === 'error_response' || (e.success && e.data.code !== '10000')) {
        throw new AuthorityUnavailable(AUTHORITY, 'http', `user.info.share error ${e.data?.code ?? '?'} ${e.data?.sub_code ?? ''}`.trim());
      }
      return parse(userInfoResponse, answer.value);
    },
  };
}

function toKeys(appId: string, privatePem: string, publicPem: string): Keys {
  try {
    return { appId, appPrivateKey: createPrivateKey(privatePem), alipayPublicKey: createPublicKey(publicPem) };
  } catch {
    throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'console keys are not valid PEM');
  }
}


function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const paths = issuePaths(r.error, { max: 5 });
    throw new AuthorityUnavailable(AUTHORITY, 'malformed', `unexpected answer shape (${paths.join(', ')})`);
  }
  return r.data;
}

/** Picks the method's response member (or `error_response`) and checks Alipay's signature over its exact text. */
function readSigned(text: string, doc: unknown, member: string, publicKey: KeyObject): { member: string; value: unknown } {
  const sign = z.object({ sign: z.string().min(1).max(2048) }).safeParse(doc);
  const name = memberText(text, member) !== null ? member : 'error_response';
  const signed = memberText(text, name);
  if (signed === null) throw new AuthorityUnavailable(AUTHORITY, 'malformed', `gateway answer has no ${member}`);
  if (!sign.success || !rsa2Verify(signed, sign.data.sign, publicKey)) {
    throw new AuthorityUnavailable(AUTHORITY, 'signature', `${name} signature does not verify`);
  }
  // the value read is the one that was signed, not a re-parse of the whole document
  return { member: name, value: JSON.parse(signed) as unknown };
}
