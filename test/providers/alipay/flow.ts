/** Steps shared by the Alipay and WeChat tests: open a method from a fresh chooser, redeem the code. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { decodeJwt, type JWTPayload } from 'jose';
import type { Stack } from '../../support/stack.ts';
import { basic, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser, codeFrom, type PkceRequest } from '../../support/browser.ts';

export interface Started {
  browser: Browser;
  req: PkceRequest;
  /** the chooser's URL path, for re-opening */
  chooser: string;
  /** where the method sent the browser (the authority's page) */
  location: string;
}

/** A new browser (no session) starts a code flow and picks `method`, which redirects off-site. */
export async function startMethod(stack: Stack, client: TestClient, method: string): Promise<Started> {
  const browser = new Browser(stack.issuer);
  const req = authUrl(client.clientId, client.redirectUri);
  const chooser = await browser.open(req.url);
  const link = chooser.text.match(new RegExp(`href="(/interaction/[^"]+/method/${method})"`));
  assert.ok(link, `the chooser offers ${method}`);
  const first = await browser.open(link[1]!);
  assert.ok(first.location, `${method} redirects to its authority`);
  return { browser, req, chooser: chooser.path, location: first.location };
}

/** Redeems the code the flow ended with; returns the ID token's claims. */
export async function idTokenOf(stack: Stack, client: TestClient, req: PkceRequest, location: string | undefined): Promise<JWTPayload> {
  const token = await request(stack.issuer)
    .post('/token')
    .set('Authorization', basic(client))
    .type('form')
    .send({ grant_type: 'authorization_code', code: codeFrom(location, req.state), redirect_uri: client.redirectUri, code_verifier: req.verifier });
  assert.equal(token.status, 200, token.text);
  return decodeJwt(token.body.id_token as string);
}

/** Replaces (or adds) query parameters of a URL. */
export function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}

export async function countRows(stack: Stack, table: string): Promise<number> {
  return Number((await stack.ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);
}
