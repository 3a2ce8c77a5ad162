/**
 * The simulated housing-fund authority (住房公积金管理中心), mounted at `/housing-fund`.
 * `POST /gjj/api/login` takes a form signed with the app secret and a SHA-256 digest of
 * `account:password` (what the centre stores), and answers signed with the same secret.
 * Accounts are derived from the sandbox citizens; one is sealed.
 */
import { createHash, createHmac } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import type { MethodSandbox } from '../kit/index.ts';
import { CITIZENS, citizen } from '../kit/sandbox.ts';
import { sameSecret } from '../kit/core.ts';
import { AUTHORITY } from './connector.ts';

export { AUTHORITY };

/** what the sandbox console issues to us; fixed so a restarted sandbox still knows our app */
export const SANDBOX_APPID = 'gjj310000tongban';
const SANDBOX_APP_SECRET = 'sandbox-gjj-secret-8c1f5e0a9b7d4c3e2f1a0b9c';
/** the citizen whose account is sealed (封存) */
export const SEALED_ACCOUNT_CITIZEN = 'sun-guilan';
const MAX_SKEW_SECONDS = 300;
const LOG_LIMIT = 200;

const sha256 = (s: string) => createHash('sha256').update(s).digest();

function digits(label: string, n: number): string {
  const h = sha256(label);
  let out = '';
  for (let i = 0; out.length < n; i++) out += String(h[i % h.length]! % 10);
  return out;
}

/** The synthetic fund account of a sandbox citizen, for tests and demos. */
export function housingFundAccountOf(citizenKey: string): { account: string; password: string } {
  const c = citizen(citizenKey);
  return { account: `3101${digits(`hf-account:${c.key}`, 8)}`, password: `Gjj@${digits(`hf-password:${c.key}`, 6)}` };
}

/** The authority's signature: HMAC-SHA256 (hex) over the fields sorted by name, `k=v` joined by `&`, empty values left out. */
function sign(secret: string, fields: Record<string, string>): string {
  const text = Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return createHmac('sha256', secret).update(text).digest('hex');
}

export interface LoggedRequest {
  readonly at: string;
  readonly path: string;
  /** the body as it arrived (form fields) */
  readonly body: string;
}

const loginForm = z.object({
  appid: z.string().min(1).max(64),
  account: z.string().min(1).max(32),
  password_digest: z.string().regex(/^[0-9a-f]{64}$/),
  timestamp: z.string().regex(/^\d{10}$/),
  nonce: z.string().regex(/^[0-9a-zA-Z]{16,64}$/),
  sign: z.string().regex(/^[0-9a-f]{64}$/),
});

export const sandbox: MethodSandbox = {
  authority: AUTHORITY,
  create(kit) {
    const accounts = new Map(
      CITIZENS.map((c) => {
        const { account, password } = housingFundAccountOf(c.key);
        return [account, { zjhm: c.idNumber, xingming: c.name, zhzt: c.key === SEALED_ACCOUNT_CITIZEN ? '02' : '01', stored: sha256(`${account}:${password}`) }];
      }),
    );
    const seenNonces = new Map<string, number>();
    const log: LoggedRequest[] = [];

    const router = express.Router();
    router.use(express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 }));
    router.use((req, _res, next) => {
      log.push({ at: new Date().toISOString(), path: req.path, body: req.body === undefined ? '' : new URLSearchParams(req.body as Record<string, string>).toString() });
      if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
      next();
    });

    router.get('/console/credentials', (_req, res) => {
      res.json({ appid: SANDBOX_APPID, appSecret: SANDBOX_APP_SECRET });
    });

    router.post('/gjj/api/login', (req, res) => {
      const answer = (nonce: string, fields: Record<string, string>, data?: Record<string, string>) => {
        let signature = sign(SANDBOX_APP_SECRET, { ...fields, ...(data ?? {}), nonce });
        // the sandbox's "wrong signature" failure: the answer arrives, its signature does not fit
        if (kit.takeFailure(AUTHORITY) === 'bad_signature') signature = signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
        res.json({ ...fields, ...(data ? { data } : {}), nonce, sign: signature });
      };
      const form = loginForm.safeParse(req.body);
      if (!form.success) return answer('', { ret: 'E000', msg: '参数错误' });
      const f = form.data;
      if (f.appid !== SANDBOX_APPID) return answer(f.nonce, { ret: 'E004', msg: 'appid 无效' });
      if (!sameSecret(sign(SANDBOX_APP_SECRET, { ...f }), f.sign)) return answer(f.nonce, { ret: 'E001', msg: '签名错误' });
      const now = Math.floor(Date.now() / 1000);
      if (Math.abs(now - Number(f.timestamp)) > MAX_SKEW_SECONDS) return answer(f.nonce, { ret: 'E002', msg: '时间戳过期' });
      for (const [n, exp] of seenNonces) if (exp < now) seenNonces.delete(n);
      if (seenNonces.has(f.nonce)) return answer(f.nonce, { ret: 'E003', msg: '重复请求' });
      seenNonces.set(f.nonce, now + MAX_SKEW_SECONDS * 2);

      const acct = accounts.get(f.account);
      // compare against a dummy digest for unknown accounts, so both take the same path
      const stored = acct?.stored ?? sha256('no-such-account');
      const ok = sameSecret(stored.toString('hex'), f.password_digest) && acct !== undefined;
      if (!ok) return answer(f.nonce, { ret: 'E101', msg: '账号或密码错误' });
      return answer(f.nonce, { ret: '0', msg: '成功' }, { zjhm: acct.zjhm, xingming: acct.xingming, zhzt: acct.zhzt });
    });

    // inspection for tests: what arrived here, outside failure control
    const tools = express.Router();
    tools.get('/sandbox/requests.json', (_req, res) => {
      res.json(log);
    });
    tools.delete('/sandbox/requests', (_req, res) => {
      log.length = 0;
      res.json({ ok: true });
    });
    return { router, tools };
  },
};
