/**
 * What caches may keep: nothing of our pages and APIs (a sign-in's pages carry its CSRF token and
 * interaction, the account's the person's data), while the static files are cached and then
 * revalidated by their ETag. The provider's own endpoints keep their own headers.
 */
// test-pass: embedded — response headers are decided before any store is asked
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';

describe('page caching', () => {
  let stack: Stack;
  let dept: TestClient;

  before(async () => {
    stack = await startStack();
    dept = await addClient(stack, 'page-caching-dept');
  });
  after(async () => {
    await dept?.rp.close();
    await stack?.close();
  });

  const uncached = (res: { status: number; headers: Record<string, unknown> }, what: string) => {
    assert.equal(res.headers['cache-control'], 'no-store', `${what} (${res.status}) is kept by no cache`);
    assert.equal(res.headers.etag, undefined, `${what} carries no validator`);
  };

  it('keeps no sign-in page: the chooser, a method form and a refused answer', async () => {
    const b = new Browser(stack.issuer);
    const chooser = await b.open(authUrl(dept.clientId, dept.redirectUri).url);
    assert.equal(chooser.status, 200);
    uncached(await b.agent.get(chooser.path), 'the chooser');
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/)?.[1];
    assert.ok(link, 'the chooser offers the password method');
    uncached(await b.agent.get(link), 'the password form');
    const refused = await b.agent.post(link).type('form').send({ csrf: 'not-the-token', id_number: '1', password: 'x' });
    assert.equal(refused.status, 403);
    uncached(refused, 'a refused form');
  });

  it('keeps none of the account, help, counter and admin pages, nor the methods API', async () => {
    for (const path of ['/account', '/help/password', '/counter', '/admin', '/admin/api/policy', '/api/methods/id-card-password/start']) {
      uncached(await request(stack.issuer).get(path), path);
    }
  });

  it('caches the static files and answers a revalidation with 304', async () => {
    const first = await request(stack.issuer).get('/assets/site.css');
    assert.equal(first.status, 200);
    assert.equal(first.headers['cache-control'], 'public, max-age=3600');
    const etag = first.headers.etag as string | undefined;
    assert.match(etag ?? '', /^"[A-Za-z0-9_-]{27}"$/);
    const again = await request(stack.issuer).get('/assets/site.css').set('If-None-Match', etag!);
    assert.equal(again.status, 304);
    assert.equal(again.text ?? '', '');
    const other = await request(stack.issuer).get('/assets/elder.css');
    assert.notEqual(other.headers.etag, etag, 'each file has its own');
    const stale = await request(stack.issuer).get('/assets/site.css').set('If-None-Match', '"an-old-version"');
    assert.equal(stale.status, 200);
    assert.ok(stale.text.length > 0);
  });

  it('leaves the provider its own headers: discovery is not marked by our pages rule', async () => {
    const res = await request(stack.issuer).get('/.well-known/openid-configuration');
    assert.equal(res.status, 200);
    assert.notEqual(res.headers['cache-control'], 'no-store');
  });
});
