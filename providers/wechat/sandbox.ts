/**
 * The sandbox WeChat Open Platform: the QR-connect page (here the tester picks which synthetic
 * WeChat user "scanned" and confirmed), the two `sns` APIs with WeChat's errcode answers, and
 * the developer console that hands out the app's appid and secret.
 */
import { createHash, randomBytes } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import type { MethodSandbox } from '../kit/index.ts';
import { esc, hiddenInputs, page, strings } from '../kit/sandbox-pages.ts';
import { CITIZENS, type Citizen } from '../kit/sandbox.ts';
import { AUTHORITY } from './connector.ts';

/** The sandbox website app's appid, as the console shows it. */
export const SANDBOX_APPID = 'wx5a1d0c7e2b9f3a41';
const CODE_TTL_MS = 5 * 60_000;
const TOKEN_TTL_S = 7200;

const hash = (s: string) => createHash('sha256').update(s).digest('base64url');

/** The unionid of a synthetic citizen's WeChat account: the same across all apps of one Open Platform account. */
export function wechatUnionId(key: string): string {
  return `o${hash(`wechat-union\0${key}`).slice(0, 27)}`;
}

/** The openid of a synthetic citizen's WeChat account within one app. */
export function wechatOpenId(appid: string, key: string): string {
  return `o${hash(`wechat-open\0${appid}\0${key}`).slice(0, 27)}`;
}

const byKey = new Map(CITIZENS.map((c) => [c.key, c]));

const connectQuery = z.object({
  appid: z.literal(SANDBOX_APPID),
  redirect_uri: z.url({ protocol: /^https?$/ }).max(2048),
  response_type: z.literal('code'),
  scope: z.literal('snsapi_login'),
  state: z.string().max(256).optional(),
});
const confirmBody = connectQuery.extend({ user: z.string().max(40).optional(), decision: z.enum(['allow', 'deny']) });

export const sandbox: MethodSandbox = {
  authority: AUTHORITY,
  create() {
    const secret = randomBytes(16).toString('hex');
    const codes = new Map<string, { key: string; expiresAt: number }>();
    const used = new Set<string>();
    const tokens = new Map<string, { key: string; openid: string; expiresAt: number }>();
    const sweep = () => {
      const now = Date.now();
      for (const [k, v] of codes) if (v.expiresAt < now) codes.delete(k);
      for (const [k, v] of tokens) if (v.expiresAt < now) tokens.delete(k);
      if (used.size > 10_000) used.clear();
    };

    // the browser-facing page stands apart from the API: failure control plays the API (what
    // our server calls) failing, while the citizen can still get back to us
    const tools = express.Router();
    tools.get('/connect/qrconnect', (req, res) => {
      const q = connectQuery.safeParse(strings(req.query));
      if (!q.success) return page(res.status(400), '参数错误', '<p>请求参数错误（appid、redirect_uri、response_type 或 scope）。</p>');
      const hidden = hiddenInputs(q.data);
      const rows = CITIZENS.map(
        (c: Citizen, i) => `<li><label><input type="radio" name="user" value="${c.key}"${i === 0 ? ' checked' : ''}> ${esc(c.name)} <code>${wechatUnionId(c.key)}</code></label></li>`,
      ).join('\n');
      page(
        res,
        '微信登录',
        `<h1>微信登录 <small>(sandbox)</small></h1><p>真实环境中这里是一个二维码。沙箱中请选择“扫码”的微信用户，并在“手机上”确认或拒绝：</p>
<form method="post" action="/${AUTHORITY}/connect/confirm">${hidden}<ul>${rows}</ul>
<button name="decision" value="allow">确认登录</button> <button name="decision" value="deny">拒绝</button></form>`,
      );
    });
    tools.post('/connect/confirm', express.urlencoded({ extended: false, limit: '8kb' }), (req, res) => {
      const b = confirmBody.safeParse(strings(req.body));
      if (!b.success) return page(res.status(400), '参数错误', '<p>请求参数错误。</p>');
      const back = new URL(b.data.redirect_uri);
      // refused on the phone: back with the state only, no code
      if (b.data.decision === 'allow') {
        if (!byKey.has(b.data.user ?? '')) return page(res.status(400), '参数错误', '<p>请选择一个微信用户。</p>');
        sweep();
        const code = randomBytes(16).toString('hex');
        codes.set(code, { key: b.data.user!, expiresAt: Date.now() + CODE_TTL_MS });
        back.searchParams.set('code', code);
      }
      if (b.data.state !== undefined) back.searchParams.set('state', b.data.state);
      res.redirect(302, back.href);
    });

    const router = express.Router();
    const err = (res: express.Response, errcode: number, errmsg: string) => res.json({ errcode, errmsg });
    router.get('/console/credentials', (_req, res) => {
      res.set('cache-control', 'no-store').json({ appid: SANDBOX_APPID, secret });
    });
    router.get('/sns/oauth2/access_token', (req, res) => {
      const q = strings(req.query);
      if (q.appid !== SANDBOX_APPID) return err(res, 40013, 'invalid appid');
      if (q.secret !== secret) return err(res, 40125, 'invalid appsecret');
      if (q.grant_type !== 'authorization_code') return err(res, 40002, 'invalid grant_type');
      if (!q.code) return err(res, 41008, 'missing code');
      const grant = codes.get(q.code);
      codes.delete(q.code);
      if (!grant || grant.expiresAt < Date.now()) return used.has(q.code) ? err(res, 40163, 'code been used') : err(res, 40029, 'invalid code');
      used.add(q.code);
      const accessToken = randomBytes(24).toString('base64url');
      const openid = wechatOpenId(SANDBOX_APPID, grant.key);
      tokens.set(accessToken, { key: grant.key, openid, expiresAt: Date.now() + TOKEN_TTL_S * 1000 });
      res.json({
        access_token: accessToken,
        expires_in: TOKEN_TTL_S,
        refresh_token: randomBytes(24).toString('base64url'),
        openid,
        scope: 'snsapi_login',
        unionid: wechatUnionId(grant.key),
      });
    });
    router.get('/sns/userinfo', (req, res) => {
      const q = strings(req.query);
      const t = tokens.get(q.access_token ?? '');
      if (!t || t.expiresAt < Date.now()) return err(res, 40001, 'invalid credential, access_token is invalid or not latest');
      if (q.openid !== t.openid) return err(res, 40003, 'invalid openid');
      const c = byKey.get(t.key)!;
      res.json({
        openid: t.openid,
        nickname: `${c.name.slice(0, 1)}同学`,
        sex: c.gender === 'male' ? 1 : 2,
        province: 'Shanghai',
        city: '',
        country: 'CN',
        headimgurl: '',
        privilege: [],
        unionid: wechatUnionId(t.key),
      });
    });
    return { router, tools };
  },
};
