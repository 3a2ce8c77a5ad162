/**
 * A demo department app: a confidential OpenID Connect relying party used by the local
 * demo and, in end-to-end tests, as the receiver of back-channel logout. Sessions live in
 * process memory; that is fine for a demo and nowhere else.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { JWTPayload } from 'jose';
import { html, type Html } from '../web/html.ts';
import { readCookie } from '../web/cookies.ts';
import { RelyingParty, RelyingPartyError, randomToken } from './relying-party.ts';

export interface DepartmentAppOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where this app is reachable, e.g. http://localhost:3101 */
  baseUrl: string;
  title: { 'zh-CN': string; en: string };
  scope?: string;
  acrValues?: string;
}

interface Session {
  pending?: { state: string; nonce: string; codeVerifier: string; startedAt: number };
  signedIn?: {
    idToken: string; accessToken: string; sub: string; sid?: string;
    claims: JWTPayload; userinfo: Record<string, unknown>;
  };
}

const PENDING_TTL_MS = 10 * 60 * 1000;
const ACR_PATTERN = /^[\w:.\- ]{1,200}$/;

export function createDepartmentApp(opts: DepartmentAppOptions): {
  app: express.Express;
  logoutTokens: Array<Record<string, unknown>>;
} {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const redirectUri = `${baseUrl}/callback`;
  const rp = new RelyingParty(opts);
  const sessions = new Map<string, Session>();
  const logoutTokens: Array<Record<string, unknown>> = [];
  // Cookies ignore ports, so two demo apps on one host need different cookie names.
  const cookieName = `dept_${createHash('sha256').update(baseUrl).digest('hex').slice(0, 12)}`;
  const secure = baseUrl.startsWith('https:');

  const readSessionId = (req: express.Request): string | undefined => readCookie(req, cookieName);
  const currentSession = (req: express.Request): [string, Session] | undefined => {
    const id = readSessionId(req);
    const s = id === undefined ? undefined : sessions.get(id);
    return id !== undefined && s ? [id, s] : undefined;
  };
  const newSession = (res: express.Response, s: Session): void => {
    const id = randomToken();
    sessions.set(id, s);
    res.append('set-cookie', `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
  };
  const clearCookie = (res: express.Response): void => {
    res.append('set-cookie', `${cookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`);
  };
  const send = (res: express.Response, status: number, body: Html): void => {
    res.status(status)
      .set('cache-control', 'no-store')
      .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'")
      .type('html')
      .send(page(opts.title, body).value);
  };
  const showError = (res: express.Response, status: number, zh: string, en: string, detail?: string): void =>
    send(res, status, html`<h2>${zh}</h2><p lang="en">${en}</p>${detail ? html`<pre>${detail}</pre>` : ''}<p><a href="/">返回首页 · Back</a></p>`);

  const app = express();
  app.disable('x-powered-by');

  app.get('/', (req, res) => {
    const signedIn = currentSession(req)?.[1].signedIn;
    if (!signedIn) {
      send(res, 200, html`<p>您尚未登录。<span lang="en">You are not signed in.</span></p>
<p><a class="button" href="/login">通过通办 ID 登录 · Sign in with Tongban ID</a></p>`);
      return;
    }
    const c = signedIn.claims;
    const rows: Array<[string, unknown]> = [
      ['sub', c.sub], ['acr', c.acr], ['amr', c.amr], ['auth_time', c.auth_time], ['sid', c.sid],
      ...Object.entries(signedIn.userinfo).filter(([k]) => k !== 'sub'),
    ];
    send(res, 200, html`<p>您已登录。<span lang="en">You are signed in.</span></p>
<table>${rows.filter(([, v]) => v !== undefined).map(([k, v]) => html`<tr><th>${k}</th><td>${showClaim(k, v)}</td></tr>`)}</table>
<p><a href="/login?acr=urn:tongban:loa:2">提升至 2 级 · Step up to level 2</a> ·
<a href="/login?acr=urn:tongban:loa:3">提升至 3 级 · Step up to level 3</a></p>
<p><a class="button" href="/logout">退出登录 · Sign out</a></p>`);
  });

  app.get('/login', async (req, res) => {
    const now = Date.now();
    for (const [id, s] of sessions) {
      if (s.pending && !s.signedIn && now - s.pending.startedAt > PENDING_TTL_MS) sessions.delete(id);
    }
    const acrQuery = typeof req.query.acr === 'string' ? req.query.acr : undefined;
    if (acrQuery !== undefined && !ACR_PATTERN.test(acrQuery)) {
      showError(res, 400, '认证等级参数无效。', 'Invalid acr parameter.');
      return;
    }
    const pending = { state: randomToken(), nonce: randomToken(), codeVerifier: randomToken(), startedAt: now };
    const current = currentSession(req);
    if (current) current[1].pending = pending;
    else newSession(res, { pending });
    const url = await rp.authorizationUrl({
      redirectUri, scope: opts.scope ?? 'openid profile', state: pending.state, nonce: pending.nonce,
      codeVerifier: pending.codeVerifier, acrValues: acrQuery ?? opts.acrValues,
    });
    res.set('cache-control', 'no-store').redirect(303, url);
  });

  app.get('/callback', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
    const current = currentSession(req);
    const pending = current?.[1].pending;
    if (!current || !pending) {
      showError(res, 400, '没有进行中的登录，请重新登录。', 'No sign-in in progress; please start again.');
      return;
    }
    if (str('state') !== pending.state) {
      showError(res, 400, '登录状态不匹配，请重新登录。', 'State mismatch; please start again.');
      return;
    }
    delete current[1].pending;
    const error = str('error');
    if (error !== undefined) {
      const description = str('error_description');
      showError(res, 400, '登录未完成。', 'Sign-in was not completed.', description ? `${error}: ${description}` : error);
      return;
    }
    // RFC 9207: when the provider names itself in the response it must be ours.
    const doc = await rp.discovery();
    const iss = str('iss');
    const code = str('code');
    if ((iss !== undefined && iss !== doc.issuer) || !code) {
      showError(res, 400, '授权响应无效。', 'Invalid authorization response.');
      return;
    }
    const tokens = await rp.exchangeCode({ code, redirectUri, codeVerifier: pending.codeVerifier });
    const claims = await rp.verifyIdToken(tokens.id_token, pending.nonce);
    const sub = claims.sub!;
    const userinfo = await rp.userinfo(tokens.access_token, sub);
    // A fresh session id on sign-in, so an id planted before login is worth nothing after.
    sessions.delete(current[0]);
    newSession(res, {
      signedIn: {
        idToken: tokens.id_token, accessToken: tokens.access_token, sub,
        sid: typeof claims.sid === 'string' ? claims.sid : undefined, claims, userinfo,
      },
    });
    res.redirect(303, '/');
  });

  app.get('/logout', async (req, res) => {
    const current = currentSession(req);
    clearCookie(res);
    if (!current) {
      res.redirect(303, '/');
      return;
    }
    sessions.delete(current[0]);
    const idToken = current[1].signedIn?.idToken;
    const url = idToken ? await rp.endSessionUrl({ idTokenHint: idToken, postLogoutRedirectUri: `${baseUrl}/` }) : undefined;
    res.set('cache-control', 'no-store').redirect(303, url ?? '/');
  });

  app.post('/backchannel-logout', express.urlencoded({ extended: false, limit: '64kb' }), async (req, res) => {
    res.set('cache-control', 'no-store');
    const body = req.body as Record<string, unknown> | undefined;
    const token = typeof body?.logout_token === 'string' ? body.logout_token : undefined;
    let payload: JWTPayload | undefined;
    try {
      payload = token ? await rp.verifyLogoutToken(token) : undefined;
    } catch {
      // Discovery or JWKS unreachable: not the token's fault, so the provider may retry.
      res.status(503).json({ error: 'temporarily_unavailable' });
      return;
    }
    if (!payload) {
      res.status(400).json({ error: 'invalid_logout_token' });
      return;
    }
    // With a sid only that session ends; with only a sub, every session of that person.
    for (const [id, s] of sessions) {
      const who = s.signedIn;
      if (!who) continue;
      const sidMatches = payload.sid === undefined || who.sid === payload.sid;
      const subMatches = payload.sub === undefined || who.sub === payload.sub;
      if (sidMatches && subMatches) sessions.delete(id);
    }
    logoutTokens.push({ ...payload });
    res.status(200).end();
  });

  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof RelyingPartyError) {
      showError(res, 502, '与通办 ID 通信失败。', 'Talking to Tongban ID failed.', err.message);
      return;
    }
    showError(res, 500, '出错了。', 'Something went wrong.');
  });

  return { app, logoutTokens };
}

function showClaim(name: string, v: unknown): string {
  if (name === 'auth_time' && typeof v === 'number') return `${new Date(v * 1000).toISOString()} (${v})`;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(', ');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function page(title: DepartmentAppOptions['title'], body: Html): Html {
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title['zh-CN']} · ${title.en}</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
th{text-align:left;padding-right:1rem;vertical-align:top}td{word-break:break-all}pre{white-space:pre-wrap}
.button{display:inline-block;padding:.5rem 1rem;background:#1d4ed8;color:#fff;border-radius:.25rem;text-decoration:none}</style>
</head><body><h1>${title['zh-CN']}</h1><p lang="en">${title.en}</p>${body}</body></html>`;
}

export async function startDepartmentApp(opts: DepartmentAppOptions & { port: number; host?: string }): Promise<{
  url: string;
  close(): Promise<void>;
  logoutTokens: Array<Record<string, unknown>>;
}> {
  const { app, logoutTokens } = createDepartmentApp(opts);
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(opts.port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  // With port 0 the base URL could not be known in advance; report where it actually listens.
  const url = opts.port === 0 ? `http://${host.includes(':') ? `[${host}]` : host}:${port}` : opts.baseUrl.replace(/\/+$/, '');
  return {
    url,
    logoutTokens,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
