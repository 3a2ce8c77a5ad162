/** Token-endpoint steps shared by the single-use and durability tests. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { basic, type TestClient } from '../support/clients.ts';
import { passwordLogin } from '../support/login.ts';

export interface Issued {
  code: string;
  verifier: string;
}

/**
 * A fresh authorization code for offline access. The browser signs in with the password the
 * first time and keeps its SSO session; prompt=consent makes every request show the consent
 * page (offline_access is only granted with it).
 */
export async function offlineCode(browser: Browser, client: TestClient, idNumber: string, password: string): Promise<Issued> {
  const req = authUrl(client.clientId, client.redirectUri, { scope: 'openid profile offline_access', prompt: 'consent' });
  let page = await browser.open(req.url);
  if (/method\/id-card-password/.test(page.text)) page = await passwordLogin(browser, page.text, idNumber, password);
  assert.equal(page.status, 200, page.text.slice(0, 400));
  const back = await browser.submit(page.text, /consent/, { decision: 'allow' });
  return { code: codeFrom(back.location, req.state), verifier: req.verifier };
}

export function redeemCode(issuer: string, client: TestClient, issued: Issued) {
  return request(issuer)
    .post('/token')
    .set('Authorization', basic(client))
    .type('form')
    .send({ grant_type: 'authorization_code', code: issued.code, redirect_uri: client.redirectUri, code_verifier: issued.verifier });
}

export function refresh(issuer: string, client: TestClient, refreshToken: string) {
  return request(issuer).post('/token').set('Authorization', basic(client)).type('form').send({ grant_type: 'refresh_token', refresh_token: refreshToken });
}

export async function introspect(issuer: string, client: TestClient, token: string): Promise<Record<string, unknown>> {
  const res = await request(issuer).post('/token/introspection').set('Authorization', basic(client)).type('form').send({ token });
  assert.equal(res.status, 200, res.text);
  return res.body as Record<string, unknown>;
}

export async function userinfoStatus(issuer: string, accessToken: string): Promise<number> {
  return (await request(issuer).get('/me').set('Authorization', `Bearer ${accessToken}`)).status;
}

type Reply = { status: number; body: Record<string, unknown>; text: string };

/** Of simultaneous replies: exactly one 200, every other one a clean 400 invalid_grant. */
export function exactlyOneWinner(replies: Reply[]): Reply {
  const won = replies.filter((r) => r.status === 200);
  const lost = replies.filter((r) => r.status !== 200);
  assert.equal(won.length, 1, `exactly one redemption wins, got ${won.length} of ${replies.length}: ${[...new Set(replies.map((r) => r.text))].join(" | ").slice(0, 600)}`);
  for (const r of lost) {
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error, 'invalid_grant', r.text);
  }
  return won[0]!;
}
