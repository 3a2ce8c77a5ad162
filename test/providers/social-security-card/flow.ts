/** Steps the card tests share: open a method's page through a real authorization request, exchange the code. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { decodeJwt, type JWTPayload } from 'jose';
import type { Stack } from '../../support/stack.ts';
import { basic, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser, codeFrom, type PkceRequest } from '../../support/browser.ts';

export async function openMethod(stack: Stack, client: TestClient, method: string): Promise<{ browser: Browser; req: PkceRequest; page: string }> {
  const browser = new Browser(stack.issuer);
  const req = authUrl(client.clientId, client.redirectUri);
  const chooser = await browser.open(req.url);
  const link = chooser.text.match(new RegExp(`href="(/interaction/[^"]+/method/${method})"`));
  assert.ok(link, `the chooser offers ${method}`);
  const first = await browser.open(link[1]!);
  assert.equal(first.status, 200);
  return { browser, req, page: first.text };
}

export async function idTokenFor(stack: Stack, client: TestClient, req: PkceRequest, location: string | undefined): Promise<JWTPayload> {
  const token = await request(stack.issuer)
    .post('/token')
    .set('Authorization', basic(client))
    .type('form')
    .send({ grant_type: 'authorization_code', code: codeFrom(location, req.state), redirect_uri: client.redirectUri, code_verifier: req.verifier });
  assert.equal(token.status, 200, token.text);
  return decodeJwt(token.body.id_token as string);
}

export const count = async (stack: Stack, table: string, where = 'true', params: unknown[] = []) =>
  Number((await stack.ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table} WHERE ${where}`, params)).rows[0]!.n);

export const failNext = (stack: Stack, authority: string, mode: string, count: number) =>
  fetch(`${stack.sandboxUrl}/control/fail`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authority, mode, count }),
  });

export async function requestLog(stack: Stack, authority: string): Promise<Array<{ path: string; body: string }>> {
  return (await (await fetch(`${stack.sandboxUrl}/${authority}/sandbox/requests.json`)).json()) as Array<{ path: string; body: string }>;
}
