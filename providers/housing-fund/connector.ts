/**
 * The housing-fund centre's account login: `POST <base>/gjj/api/login`, form-encoded, signed
 * with the app secret (HMAC-SHA256 over the sorted fields). The password travels as
 * SHA-256(account:password), the digest the centre stores; answers are signed the same way
 * and must echo our nonce.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { consoleCredentials } from '../kit/console-credentials.ts';
import { callAuthority, AuthorityUnavailable, sameSecret } from '../kit/core.ts';
import type { MethodEnv } from '../kit/index.ts';
import { checkIdNumber, nameSchema } from '../kit/fields.ts';
import type { HousingFundConfig } from './config.ts';

export const AUTHORITY = 'housing-fund';
const MAX_ANSWER_CHARS = 64_000;

export type AccountCheck =
  /** zhzt: '01' normal, '02' sealed (others: closed, frozen…) */
  | { kind: 'holder'; idNumber: string; name: string; status: string }
  /** wrong password or unknown account: the centre does not say which */
  | { kind: 'refused' };

export interface AccountVerifier {
  verify(account: string, password: string): Promise<AccountCheck>;
}

interface AppCredentials {
  appid: string;
  appSecret: string;
}

const consoleAnswer = z.object({ appid: z.string().min(1).max(64), appSecret: z.string().min(32).max(256) });

const loginAnswer = z.object({
  ret: z.string().max(16),
  msg: z.string().max(200),
  data: z.object({ zjhm: z.string().max(32), xingming: z.string().max(64), zhzt: z.string().regex(/^\d{2}$/) }).optional(),
  nonce: z.string().max(64),
  sign: z.string().regex(/^[0-9a-f]{64}$/),
});

/** HMAC-SHA256 (hex) over the fields sorted by name, `k=v` joined by `&`, empty values and `sign` left out. */
function signFields(secret: string, fields: Readonly<Record<string, string>>): string {
  const text = Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return createHmac('sha256', secret).update(text).digest('hex');
}

export function createAccountVerifier(cfg: HousingFundConfig, env: MethodEnv): AccountVerifier {
  const base = (cfg.baseUrl ?? `${env.authoritiesUrl}/${AUTHORITY}`).replace(/\/+$/, '');
  const fixed: AppCredentials | null = 'appSecret' in cfg.credentials ? cfg.credentials : null;
  const credentials = consoleCredentials({ authority: AUTHORITY, baseUrl: base, schema: consoleAnswer, timeoutMs: env.timeoutMs, fixed });

  return {
    async verify(account, password) {
      const app = await credentials.get();
      const form: Record<string, string> = {
        appid: app.appid,
        account,
        password_digest: createHash('sha256').update(`${account}:${password}`).digest('hex'),
        timestamp: String(Math.floor(Date.now() / 1000)),
        nonce: randomBytes(16).toString('hex'),
      };
      form.sign = signFields(app.appSecret, form);
      // a login is not idempotent (and the nonce is single-use): never repeated
      const a = await callAuthority({
        authority: AUTHORITY,
        url: `${base}/gjj/api/login`,
        form,
        schema: loginAnswer,
        maxResponseChars: MAX_ANSWER_CHARS,
        timeoutMs: env.timeoutMs,
        retries: 0,
      });
      // anything but a verdict (bad sign, stale timestamp, unknown appid…) is a fault on one side or the other
      if (a.ret !== '0' && a.ret !== 'E101') throw new AuthorityUnavailable(AUTHORITY, 'http', `login refused with ret ${a.ret}`);
      const { data, sign, ...top } = a;
      if (a.nonce !== form.nonce || !sameSecret(signFields(app.appSecret, { ...top, ...(data ?? {}) }), sign)) {
        throw new AuthorityUnavailable(AUTHORITY, 'signature', 'answer signature or nonce does not match');
      }
      if (a.ret === 'E101') return { kind: 'refused' };
      const id = data ? checkIdNumber(data.zjhm) : null;
      if (!data || !id?.ok || !nameSchema.safeParse(data.xingming).success) {
        throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'holder data is not a valid ID number and name');
      }
      return { kind: 'holder', idNumber: id.idNumber, name: data.xingming, status: data.zhzt };
    },
  };
}
