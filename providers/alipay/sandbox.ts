/**
 * The sandbox Alipay: the authorize page a citizen sees in the browser, the open-platform
 * gateway (verifies our RSA2 request signature with the app public key it issued, signs its
 * answers with its own key), and the developer console that hands out the app's keys.
 * Every synthetic citizen is a certified Alipay user; one more user is not certified.
 */
import { createHash, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import express from 'express';
import { z } from 'zod';
import type { MethodSandbox, SandboxKit } from '../kit/index.ts';
import { esc, hiddenInputs, page, strings } from '../kit/sandbox-pages.ts';
import { CITIZENS, type Citizen } from '../kit/sandbox.ts';
import { parseBeijingTimestamp, rsa2Sign, rsa2Verify, signingString } from './rsa2.ts';
import { AUTHORITY } from './connector.ts';

/** The sandbox app's id, as the console shows it. */
export const SANDBOX_APP_ID = '2021000000000001';
const CODE_TTL_MS = 5 * 60_000;
const TOKEN_TTL_S = 1_296_000;
const CLOCK_SKEW_MS = 15 * 60_000;

/** The Alipay user id ('2088' + 12 digits) of a synthetic citizen (or of the uncertified user). */
export function alipayUserId(key: string): string {
  const n = createHash('sha256').update(`alipay-user\0${key}`).digest().readBigUInt64BE(0) % 10n ** 12n;
  return `2088${n.toString().padStart(12, '0')}`;
}

/** The one sandbox Alipay user who never completed real-name certification. */
export const UNCERTIFIED_USER_ID = alipayUserId('~uncertified');

interface SandboxUser {
  userId: string;
  nickName: string;
  citizen: Citizen | null;
}

const USERS: readonly SandboxUser[] = [
  ...CITIZENS.map((c) => ({ userId: alipayUserId(c.key), nickName: `${c.name.slice(0, 1)}**`, citizen: c })),
  { userId: UNCERTIFIED_USER_ID, nickName: '未实名用户', citizen: null },
];
const byUserId = new Map(USERS.map((u) => [u.userId, u]));

type KeyPair = { publicKey: KeyObject; privateKey: KeyObject };
const generate = promisify(generateKeyPair);

// off the event loop, and started as the sandbox starts: RSA key generation can take seconds,
// longer than our connector waits for the console
function memoKey(): () => Promise<KeyPair> {
  let p: Promise<KeyPair> | undefined;
  return () => (p ??= generate('rsa', { modulusLength: 2048 }));
}
/** the app's pair (the app signs with it) and Alipay's own; shared by the sandboxes of one process */
const appKey = memoKey();
const alipayKey = memoKey();

const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);
const authorizeQuery = z.object({
  app_id: z.literal(SANDBOX_APP_ID),
  scope: z.string().max(64).refine((s) => s.split(',').includes('auth_user')),
  redirect_uri: httpUrl,
  state: z.string().max(256).optional(),
});
const consentBody = authorizeQuery.extend({ user: z.string().max(32).optional(), decision: z.enum(['allow', 'deny']) });

export const sandbox: MethodSandbox = {
  authority: AUTHORITY,
  create(kit: SandboxKit) {
    void Promise.all([appKey(), alipayKey()]).catch(() => undefined);
    const codes = new Map<string, { userId: string; expiresAt: number }>();
    const tokens = new Map<string, { userId: string; expiresAt: number }>();
    const sweep = (m: Map<string, { expiresAt: number }>) => {
      const now = Date.now();
      for (const [k, v] of m) if (v.expiresAt < now) m.delete(k);
    };

    // the browser-facing pages stand apart from the gateway: failure control plays the gateway
    // (what our server calls) failing, while the citizen can still get back to us
    const tools = express.Router();
    tools.get('/oauth2/publicAppAuthorize.htm', (req, res) => {
      const q = authorizeQuery.safeParse(strings(req.query));
      if (!q.success) return page(res.status(400), '参数错误', '<p>授权请求参数有误（app_id、scope 或 redirect_uri）。</p>');
      const hidden = hiddenInputs(q.data);
      const rows = USERS.map(
        (u, i) =>
          `<li><label><input type="radio" name="user" value="${u.userId}"${i === 0 ? ' checked' : ''}> ${esc(u.citizen?.name ?? u.nickName)} <code>${u.userId}</code> ${u.citizen ? '已实名' : '<strong>未实名</strong>'}</label></li>`,
      ).join('\n');
      page(
        res,
        '支付宝授权',
        `<h1>支付宝账号授权 <small>(sandbox)</small></h1><p>应用 <code>${SANDBOX_APP_ID}</code> 申请获取你的支付宝会员信息（含实名信息）。请选择以哪个沙箱账号登录：</p>
<form method="post" action="/${AUTHORITY}/oauth2/consent">${hidden}<ul>${rows}</ul>
<button name="decision" value="allow">同意授权</button> <button name="decision" value="deny">取消</button></form>`,
      );
    });
    tools.post('/oauth2/consent', express.urlencoded({ extended: false, limit: '8kb' }), (req, res) => {
      const b = consentBody.safeParse(strings(req.body));
      if (!b.success) return page(res.status(400), '参数错误', '<p>授权参数有误。</p>');
      const back = new URL(b.data.redirect_uri);
      if (b.data.state !== undefined) back.searchParams.set('state', b.data.state);
      if (b.data.decision === 'deny') {
        back.searchParams.set('error', 'access_denied');
        return res.redirect(302, back.href);
      }
      const user = byUserId.get(b.data.user ?? '');
      if (!user) return page(res.status(400), '参数错误', '<p>请选择一个账号。</p>');
      sweep(codes);
      const code = randomBytes(16).toString('hex');
      codes.set(code, { userId: user.userId, expiresAt: Date.now() + CODE_TTL_MS });
      back.searchParams.set('app_id', SANDBOX_APP_ID);
      back.searchParams.set('source', 'alipay_wallet');
      back.searchParams.set('scope', b.data.scope);
      back.searchParams.set('auth_code', code);
      res.redirect(302, back.href);
    });

    const router = express.Router();
    router.get('/console/credentials', async (_req, res) => {
      const [app, alipay] = await Promise.all([appKey(), alipayKey()]);
      res.set('cache-control', 'no-store').json({
        app_id: SANDBOX_APP_ID,
        app_private_key: app.privateKey.export({ type: 'pkcs8', format: 'pem' }),
        alipay_public_key: alipay.publicKey.export({ type: 'spki', format: 'pem' }),
      });
    });

    router.post('/gateway.do', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 40 }), async (req, res) => {
      const p = { ...strings(req.query), ...strings(req.body) };
      const reply = async (member: string, value: Record<string, unknown>) => {
        const text = JSON.stringify(value);
        // `bad_signature`: signed with a key that is not Alipay's (the app's own will do)
        const key = kit.takeFailure(AUTHORITY) === 'bad_signature' ? await appKey() : await alipayKey();
        res.type('application/json; charset=utf-8').send(`{"${member}":${text},"sign":"${rsa2Sign(text, key.privateKey)}"}`);
      };
      const invalid = (sub_code: string, sub_msg: string) => reply('error_response', { code: '40002', msg: 'Invalid Arguments', sub_code, sub_msg });

      if (p.app_id !== SANDBOX_APP_ID) return invalid('isv.invalid-app-id', '无效的AppID参数');
      if (p.sign_type !== 'RSA2') return invalid('isv.invalid-signature-type', '无效的签名类型');
      if (!p.sign || !rsa2Verify(signingString(p), p.sign, (await appKey()).publicKey)) return invalid('isv.invalid-signature', '验签出错');
      if (p.charset !== 'utf-8' || p.format !== 'JSON' || p.version !== '1.0') return invalid('isv.invalid-parameter', '参数无效');
      const at = parseBeijingTimestamp(p.timestamp ?? '');
      if (!(Math.abs(Date.now() - at) < CLOCK_SKEW_MS)) return invalid('isv.invalid-timestamp', '非法的时间戳参数');

      if (p.method === 'alipay.system.oauth.token') {
        const grant = p.code ? codes.get(p.code) : undefined;
        if (p.code) codes.delete(p.code);
        if (p.grant_type !== 'authorization_code' || !grant || grant.expiresAt < Date.now()) {
          return invalid('isv.code-invalid', '授权码code无效');
        }
        sweep(tokens);
        const accessToken = `authusrB${randomBytes(16).toString('hex')}`;
        tokens.set(accessToken, { userId: grant.userId, expiresAt: Date.now() + TOKEN_TTL_S * 1000 });
        return reply('alipay_system_oauth_token_response', {
          user_id: grant.userId,
          access_token: accessToken,
          expires_in: TOKEN_TTL_S,
          refresh_token: `authusrB${randomBytes(16).toString('hex')}`,
          re_expires_in: 2_592_000,
        });
      }
      if (p.method === 'alipay.user.info.share') {
        const t = tokens.get(p.auth_token ?? '');
        const user = t && t.expiresAt > Date.now() ? byUserId.get(t.userId) : undefined;
        if (!user) {
          return reply('alipay_user_info_share_response', {
            code: '20001',
            msg: 'Insufficient Token Permissions',
            sub_code: 'aop.invalid-auth-token',
            sub_msg: '无效的访问令牌',
          });
        }
        const c = user.citizen;
        return reply('alipay_user_info_share_response', {
          code: '10000',
          msg: 'Success',
          user_id: user.userId,
          nick_name: user.nickName,
          is_certified: c ? 'T' : 'F',
          ...(c ? { cert_type: '0', cert_no: c.idNumber, user_name: c.name, gender: c.gender === 'male' ? 'm' : 'f' } : {}),
        });
      }
      return invalid('isv.invalid-method', '不存在的方法名');
    });
    return { router, tools };
  },
};
