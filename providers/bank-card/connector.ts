/**
 * The bank-verification authority's four-element check (name + ID number + card number +
 * bank-reserved mobile), and the login code texted through the shared SMS gateway.
 *
 * POST <base>/v1/verify4, header x-api-key, JSON { merchantId, requestId, name, idNumber,
 * cardNumber, mobile } → { respCode, respMsg, requestId, verifiedAt, sign? }, where `sign` is
 * hex HMAC-SHA-256 (the merchant's sign key) over `merchantId|requestId|respCode|verifiedAt`.
 * The check is a read billed per requestId, so one retry with the same requestId is safe.
 */
import { consoleCredentials } from '../kit/console-credentials.ts';
import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { callAuthority, AuthorityUnavailable, sameSecret } from '../kit/core.ts';
import type { BankCredentials } from './config.ts';

/** the bank-verification authority's one name: connector, sandbox mount, audit and failure control */
export const AUTHORITY = 'bank';

export type FourElementResult = 'match' | 'mismatch' | 'not_found' | 'frozen';

export interface FourElements {
  name: string;
  idNumber: string;
  cardNumber: string;
  mobile: string;
}

export interface BankConnector {
  verify4(input: FourElements): Promise<{ result: FourElementResult; requestId: string }>;
}

const consoleAnswer = z.object({
  merchantId: z.string().min(1).max(64),
  apiKey: z.string().min(16).max(256),
  signKey: z.string().min(16).max(256).optional(),
});

const verifyAnswer = z.object({
  respCode: z.string().regex(/^\d{4}$/),
  respMsg: z.string().max(200),
  requestId: z.string().min(1).max(64),
  verifiedAt: z.string().min(1).max(40),
  sign: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

const RESULTS: Readonly<Record<string, FourElementResult>> = {
  '0000': 'match',
  '2001': 'mismatch',
  '2002': 'not_found',
  '2003': 'frozen',
};

/** What the authority signs; the sandbox signs the same string. */
export function verify4SignatureBase(a: { merchantId: string; requestId: string; respCode: string; verifiedAt: string }): string {
  return `${a.merchantId}|${a.requestId}|${a.respCode}|${a.verifiedAt}`;
}

export function signVerify4(key: string, base: string): string {
  return createHmac('sha256', key).update(base).digest('hex');
}

export function createBankConnector(o: {
  baseUrl: string;
  timeoutMs: number;
  credentials: BankCredentials | 'sandbox-console';
}): BankConnector {
  const base = o.baseUrl.replace(/\/+$/, '');
  const credentials = consoleCredentials({
    authority: AUTHORITY,
    baseUrl: base,
    schema: consoleAnswer,
    timeoutMs: o.timeoutMs,
    fixed: o.credentials === 'sandbox-console' ? null : o.credentials,
  });

  return {
    async verify4(input) {
      const creds = await credentials.get();
      const requestId = randomUUID();
      const answer = await callAuthority({
        authority: AUTHORITY,
        url: `${base}/v1/verify4`,
        method: 'POST',
        headers: { 'x-api-key': creds.apiKey },
        body: { merchantId: creds.merchantId, requestId, ...input },
        schema: verifyAnswer,
        timeoutMs: o.timeoutMs,
        retries: 1,
      });
      // an answer to some other request must not decide this one
      if (answer.requestId !== requestId) throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'answer carries another request id');
      if (creds.signKey !== undefined) {
        const want = signVerify4(creds.signKey, verify4SignatureBase({ merchantId: creds.merchantId, ...answer }));
        if (!sameSecret(want, answer.sign ?? '')) {
          throw new AuthorityUnavailable(AUTHORITY, 'signature', 'verify4 answer signature does not verify');
        }
      }
      const result = RESULTS[answer.respCode];
      if (!result) throw new AuthorityUnavailable(AUTHORITY, 'http', `verify4 answered respCode ${answer.respCode}`);
      return { result, requestId };
    },
  };
}

export function loginCodeText(code: string, minutes: number): string {
  return `【通办ID】您正在使用银行卡验证登录，验证码为 ${code}，${minutes} 分钟内有效。切勿告诉他人。`;
}
