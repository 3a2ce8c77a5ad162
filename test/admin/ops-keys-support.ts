/** What the signing-key tests share: the published keys, waiting for a change to arrive, and the kid of a fresh ID token. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import type { TestClient } from '../support/clients.ts';
import { Browser } from '../support/browser.ts';
import { offlineCode, redeemCode } from '../oidc/tokens.ts';

export async function jwks(url: string): Promise<JSONWebKeySet> {
  const res = await request(url).get('/jwks');
  assert.equal(res.status, 200);
  return res.body as JSONWebKeySet;
}
export const kidsAt = async (url: string) => (await jwks(url)).keys.map((k) => k.kid);
/** the ES256 key that signs: the first of its algorithm in the set */
export const signingKid = async (url: string) => (await jwks(url)).keys.find((k) => k.alg === 'ES256')?.kid;

/** Polls `ok` until it holds (fails after 5 s); returns the milliseconds it took. */
export async function waitFor(what: string, ok: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < 5000) {
    if (await ok()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what}: not within 5 s`);
}

/** The kid of an ID token freshly issued through `issuer`, verified against the keys published at `jwksFrom`. */
export async function idTokenKid(issuer: string, jwksFrom: string, dept: TestClient, idNumber: string, password: string): Promise<string> {
  const res = await redeemCode(issuer, dept, await offlineCode(new Browser(issuer), dept, idNumber, password));
  assert.equal(res.status, 200, res.text);
  const idToken = (res.body as { id_token: string }).id_token;
  await jwtVerify(idToken, createLocalJWKSet(await jwks(jwksFrom)), { issuer, audience: dept.clientId });
  return decodeProtectedHeader(idToken).kid!;
}
