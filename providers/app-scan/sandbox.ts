/**
 * The city-app simulator (sandbox authority `city-app`): a stand-in for the phone. It reads a
 * QR payload (pasted, or `?payload=`), signs in to OUR issuer (the payload's `iss`) as the public
 * native client `city-app` with an authorization code flow and PKCE, keeps the tokens in its own
 * memory per simulated phone (a cookie), then asks "approve the sign-in on the computer?" and
 * calls our method API with the access token. A real app pins its issuer; the simulator follows
 * the payload so one sandbox serves every test stack.
 */
import { createHash, randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { MethodSandbox } from '../kit/index.ts';
import { qrToken } from './connector.ts';
import { approvePage, messagePage, pastePage, signInPage, type Html } from './sandbox-pages.ts';
import { AUTHORITY } from './connector.ts';

export const CITY_APP_CLIENT_ID = 'city-app';
const COOKIE = 'city_app_device';
const LIMIT = 500;

/** The city app's client registration at our issuer; its redirect URI is on the simulator. */
export function cityAppClient(sandboxUrl: string) {
  return {
    client_id: CITY_APP_CLIENT_ID,
    client_name: '通办城市 App',
    token_endpoint_auth_method: 'none',
    application_type: 'native',
    redirect_uris: [`${sandboxUrl.replace(/\/+$/, '')}/${AUTHORITY}/callback`],
    grant_types: ['authorization_code', 'refresh_token'],
    scope: 'openid profile offline_access',
    tongban_first_party: true,
  } as const;
}

/** Reads `tongban://scan?t=<token>&iss=<issuer>`. */
export function parsePayload(raw: unknown): { token: string; issuer: string } | null {
  if (typeof raw !== 'string' || raw.length > 600) return null;
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  const token = qrToken.safeParse(u.searchParams.get('t'));
  const issuer = z.url({ protocol: /^https?$/ }).max(300).safeParse(u.searchParams.get('iss'));
  if (u.protocol !== 'tongban:' || u.host !== 'scan' || !token.success || !issuer.success) return null;
  return { token: token.data, issuer: issuer.data.replace(/\/+$/, '') };
}

const discovery = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  userinfo_endpoint: z.url().optional(),
});
const tokenAnswer = z.object({ access_token: z.string().min(1), token_type: z.string(), expires_in: z.number().int().positive() });
const userinfo = z.object({ name: z.string().max(100).optional() });
const apiAnswer = z.object({ status: z.string().optional(), message: z.object({ 'zh-CN': z.string(), en: z.string() }).optional() });

interface Session {
  accessToken: string;
  expiresAt: number;
  name?: string;
}
interface Pending {
  device: string;
  verifier: string;
  payload: string;
  issuer: string;
  tokenEndpoint: string;
  userinfoEndpoint?: string;
  createdAt: number;
}

/** Keeps at most LIMIT entries, dropping the oldest: a long-running sandbox must not grow. */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > LIMIT) map.delete(map.keys().next().value as K);
}

async function getJson<T>(url: string, schema: z.ZodType<T>, init?: RequestInit): Promise<{ status: number; data: T | null }> {
  const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(5000) });
  const parsed = schema.safeParse(await res.json().catch(() => null));
  return { status: res.status, data: parsed.success ? parsed.data : null };
}

function send(res: Response, status: number, page: Html): void {
  res
    .status(status)
    .type('html')
    .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .set('cache-control', 'no-store')
    .send(page.toString());
}

export const sandbox: MethodSandbox = {
  authority: AUTHORITY,
  create(kit) {
    const router = express.Router();
    const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 });
    const devices = new Map<string, Map<string, Session>>();
    const pending = new Map<string, Pending>();
    const configs = new Map<string, z.infer<typeof discovery>>();
    const redirectUri = () => `${kit.publicUrl()}/${AUTHORITY}/callback`;

    function deviceOf(req: Request, res: Response): string {
      const found = /(?:^|;\s*)city_app_device=([a-f0-9]{32})/.exec(req.get('cookie') ?? '')?.[1];
      if (found) return found;
      const id = randomBytes(16).toString('hex');
      res.cookie(COOKIE, id, { httpOnly: true, sameSite: 'lax', path: `/${AUTHORITY}` });
      return id;
    }
    function sessionOf(device: string, issuer: string): Session | null {
      const s = devices.get(device)?.get(issuer);
      return s && s.expiresAt > Date.now() + 5000 ? s : null;
    }
    async function configOf(issuer: string): Promise<z.infer<typeof discovery> | null> {
      const known = configs.get(issuer);
      if (known) return known;
      const { data } = await getJson(`${issuer}/.well-known/openid-configuration`, discovery).catch(() => ({ data: null }));
      if (!data || data.issuer.replace(/\/+$/, '') !== issuer) return null;
      remember(configs, issuer, data);
      return data;
    }

    router.get('/', (req, res) => {
      if (req.query.payload === undefined) return send(res, 200, pastePage());
      const qr = parsePayload(req.query.payload);
      if (!qr) return send(res, 400, pastePage(true));
      const payload = String(req.query.payload).trim();
      const session = sessionOf(deviceOf(req, res), qr.issuer);
      send(res, 200, session ? approvePage(payload, qr.issuer, session.name) : signInPage(payload, qr.issuer));
    });

    router.get('/login', async (req, res) => {
      const qr = parsePayload(req.query.payload);
      if (!qr) return send(res, 400, pastePage(true));
      const config = await configOf(qr.issuer);
      if (!config) return send(res, 502, messagePage('无法连接该签发方。', 'The issuer in the QR code could not be reached.'));
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(16).toString('base64url');
      remember(pending, state, {
        device: deviceOf(req, res),
        verifier,
        payload: String(req.query.payload).trim(),
        issuer: qr.issuer,
        tokenEndpoint: config.token_endpoint,
        userinfoEndpoint: config.userinfo_endpoint,
        createdAt: Date.now(),
      });
      const q = new URLSearchParams({
        client_id: CITY_APP_CLIENT_ID,
        redirect_uri: redirectUri(),
        response_type: 'code',
        scope: 'openid profile',
        state,
        nonce: randomBytes(16).toString('base64url'),
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      });
      res.redirect(303, `${config.authorization_endpoint}?${q}`);
    });

    router.get('/callback', async (req, res) => {
      const state = typeof req.query.state === 'string' ? req.query.state : '';
      const p = pending.get(state);
      pending.delete(state);
      // the answer must come back to the phone that started the sign-in, within ten minutes
      if (!p || p.device !== deviceOf(req, res) || Date.now() - p.createdAt > 600_000) {
        return send(res, 400, messagePage('登录请求无效或已过期，请重新扫码。', 'The sign-in response is not valid or has expired. Scan again.'));
      }
      if (typeof req.query.code !== 'string') {
        return send(res, 400, messagePage('登录未完成。', `Sign-in did not complete (${String(req.query.error ?? 'no code')}).`));
      }
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code: req.query.code,
        redirect_uri: redirectUri(),
        client_id: CITY_APP_CLIENT_ID,
        code_verifier: p.verifier,
      });
      const t = await getJson(p.tokenEndpoint, tokenAnswer, { method: 'POST', body }).catch(() => ({ status: 0, data: null }));
      if (!t.data) return send(res, 502, messagePage('换取令牌失败。', `The token exchange failed (HTTP ${t.status}).`));
      const auth = { authorization: `Bearer ${t.data.access_token}` };
      const who = p.userinfoEndpoint ? await getJson(p.userinfoEndpoint, userinfo, { headers: auth }).catch(() => null) : null;
      const sessions = devices.get(p.device) ?? new Map<string, Session>();
      sessions.set(p.issuer, { accessToken: t.data.access_token, expiresAt: Date.now() + t.data.expires_in * 1000, name: who?.data?.name });
      remember(devices, p.device, sessions);
      res.redirect(303, `/${AUTHORITY}/?${new URLSearchParams({ payload: p.payload })}`);
    });

    for (const decision of ['approve', 'reject'] as const) {
      router.post(`/${decision}`, form, async (req, res) => {
        const qr = parsePayload(req.body?.payload);
        if (!qr) return send(res, 400, pastePage(true));
        const session = sessionOf(deviceOf(req, res), qr.issuer);
        if (!session) return send(res, 401, signInPage(String(req.body.payload).trim(), qr.issuer));
        const answer = await getJson(`${qr.issuer}/api/methods/app-scan/${decision}`, apiAnswer, {
          method: 'POST',
          headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ token: qr.token }),
        }).catch(() => ({ status: 502, data: null }));
        if (answer.status === 200) {
          return decision === 'approve'
            ? send(res, 200, messagePage('已确认，请回到电脑继续。', 'Approved. Go back to the computer.'))
            : send(res, 200, messagePage('已拒绝这次登录。', 'You declined this sign-in.'));
        }
        const m = answer.data?.message;
        send(res, answer.status || 502, messagePage(m?.['zh-CN'] ?? '操作失败。', m?.en ?? `The request failed (HTTP ${answer.status}).`));
      });
    }

    return { router };
  },
};
