/** Steps through gov-eid's real waiting page and the simulated eID platform's test tools. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { authUrl, codeFrom, type Browser, type PkceRequest } from '../../support/browser.ts';
import { basic, type TestClient } from '../../support/clients.ts';
import type { Stack } from '../../support/stack.ts';
import type { Page } from '../contract/driver.ts';
import { requestIdOf } from './driver.ts';

export { confirmInApp, pollPathOf, qrUrlOf, requestIdOf } from './driver.ts';

/** From the authorization request to our QR waiting page. */
export async function openQr(browser: Browser, client: TestClient, extra: Record<string, string> = {}): Promise<{ req: PkceRequest; page: Page }> {
  const req = authUrl(client.clientId, client.redirectUri, extra);
  const chooser = await browser.open(req.url);
  const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/gov-eid)"/);
  assert.ok(link, 'the chooser offers gov-eid');
  return { req, page: await browser.open(link[1]!) };
}

/** Code exchange with PKCE; the ID token verified against our JWKS. */
export async function idTokenOf(stack: Stack, client: TestClient, req: PkceRequest, done: Page): Promise<JWTPayload> {
  const token = await request(stack.issuer)
    .post('/token')
    .set('Authorization', basic(client))
    .type('form')
    .send({ grant_type: 'authorization_code', code: codeFrom(done.location, req.state), redirect_uri: client.redirectUri, code_verifier: req.verifier });
  assert.equal(token.status, 200, token.text);
  const jwks = (await request(stack.issuer).get('/jwks')).body;
  const { payload } = await jwtVerify(token.body.id_token as string, createLocalJWKSet(jwks), { issuer: stack.issuer, audience: client.clientId });
  assert.equal(payload.nonce, req.nonce);
  return payload;
}

async function tool(stack: Stack, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${stack.sandboxUrl}/eid/testing/requests/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(res.status, 200, `sandbox tool ${path}`);
  return (await res.json()) as Record<string, unknown>;
}

/** The platform answers the request behind `page` with an assertion crafted with `claims` overrides. */
export const answerWith = (stack: Stack, page: Page, citizen: string, claims: Record<string, string | number> = {}, mode = 'password') =>
  tool(stack, `${requestIdOf(page)}/answer`, { citizen, mode, claims });
/** The platform answers the request behind `page` with exactly this assertion. */
export const answerVerbatim = (stack: Stack, page: Page, assertion: string) => tool(stack, `${requestIdOf(page)}/answer`, { assertion });
export const expireRequest = (stack: Stack, page: Page) => tool(stack, `${requestIdOf(page)}/expire`, {});
export const assertionOf = async (stack: Stack, requestId: string) => String((await tool(stack, requestId)).assertion);

export function failNext(stack: Stack, mode: 'timeout' | 'error' | 'malformed' | 'bad_signature', count: number) {
  return fetch(`${stack.sandboxUrl}/control/fail`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authority: 'eid', mode, count }),
  });
}
