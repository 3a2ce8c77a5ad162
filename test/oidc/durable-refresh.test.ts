/**
 * Losing Redis (a restart without persistence) costs sign-ins in flight and SSO sessions, not
 * offline access: refresh tokens and the grants behind them live in PostgreSQL, consents too.
 * The service's ephemeral keys are wiped under a running service (its Redis key prefix, or the
 * in-process store emptied), then the same service is used again.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createClient } from 'redis';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { introspect, offlineCode, redeemCode, refresh, userinfoStatus } from './tokens.ts';

const password = 'Durable2026tokens';

describe('refresh tokens survive the loss of the ephemeral store', () => {
  const prefix = `e2e:durable-${randomBytes(5).toString('hex')}:`;
  let stack: Stack;
  let dept: TestClient;
  let idNumber: string;

  /** Every key the service holds in Redis, or everything in the in-process store, is gone. */
  async function wipeEphemeral(): Promise<void> {
    if (stack.ctx.store.kind === 'memory') {
      // the in-process store empties itself on close and keeps answering (nothing in it)
      await stack.ctx.store.close();
      return;
    }
    const r = createClient({ url: process.env.REDIS_URL });
    await r.connect();
    let deleted = 0;
    for await (const keys of r.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length) deleted += await r.del(keys);
    }
    await r.close();
    assert.ok(deleted > 0, 'the service had keys in Redis');
  }

  before(async () => {
    stack = await startStack({ prefix });
    dept = await addClient(stack, 'dept-durable', { scope: 'openid profile offline_access' });
    idNumber = (await enrolCitizen(stack, 'li-na', password)).idNumber;
  });
  after(async () => {
    await dept?.rp.close();
    await stack?.close();
    if (process.env.REDIS_URL) await wipeEphemeral().catch(() => undefined);
  });

  it('refreshes, keeps the consent and keeps a revoked token revoked after the ephemeral store is wiped', async () => {
    const browser = new Browser(stack.issuer);
    const kept = await redeemCode(stack.issuer, dept, await offlineCode(browser, dept, idNumber, password));
    assert.equal(kept.status, 200, kept.text);
    // another sign-in, so another grant (one grant per client and SSO session)
    const revoked = await redeemCode(stack.issuer, dept, await offlineCode(new Browser(stack.issuer), dept, idNumber, password));
    assert.equal(revoked.status, 200, revoked.text);
    const rev = await request(stack.issuer).post('/token/revocation').set('Authorization', basic(dept)).type('form').send({ token: revoked.body.refresh_token });
    assert.equal(rev.status, 200);
    // the rows exist before the wipe (and the access tokens do not: they stay in Redis)
    const { rows } = await stack.ctx.db.query<{ n: string }>('SELECT count(*)::text AS n FROM oidc_refresh_tokens');
    assert.equal(rows[0]!.n, '1', 'one live refresh token in PostgreSQL, the revoked one deleted');

    await wipeEphemeral();

    // what was in Redis is gone: the old access token and the SSO session
    assert.equal(await userinfoStatus(stack.issuer, kept.body.access_token as string), 401);
    // offline access is not
    const refreshed = await refresh(stack.issuer, dept, kept.body.refresh_token as string);
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.notEqual(refreshed.body.refresh_token, kept.body.refresh_token, 'rotated');
    assert.ok(refreshed.body.id_token, 'an ID token comes with it');
    assert.equal(await userinfoStatus(stack.issuer, refreshed.body.access_token as string), 200);
    const again = await refresh(stack.issuer, dept, refreshed.body.refresh_token as string);
    assert.equal(again.status, 200, again.text);

    // a revoked refresh token stays revoked
    const dead = await refresh(stack.issuer, dept, revoked.body.refresh_token as string);
    assert.equal(dead.status, 400);
    assert.equal(dead.body.error, 'invalid_grant');

    // a replay of a rotated refresh token is still seen, and still ends the grant
    const replay = await refresh(stack.issuer, dept, kept.body.refresh_token as string);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal((await introspect(stack.issuer, dept, again.body.refresh_token as string)).active, false);

    // a new sign-in (the SSO session is gone) is not asked for consent again
    const fresh = new Browser(stack.issuer);
    const req = authUrl(dept.clientId, dept.redirectUri, { scope: 'openid profile' });
    const chooser = await fresh.open(req.url);
    assert.match(chooser.text, /method\/id-card-password/, 'the SSO session was lost: sign in again');
    const back = await passwordLogin(fresh, chooser.text, idNumber, password);
    const code = codeFrom(back.location, req.state);

    // a sign-in without offline access writes nothing to these tables
    const count = async () => (await stack.ctx.db.query<{ n: string }>('SELECT (SELECT count(*) FROM oidc_grants) + (SELECT count(*) FROM oidc_refresh_tokens) AS n')).rows[0]!.n;
    const before = await count();
    const online = await redeemCode(stack.issuer, dept, { code, verifier: req.verifier });
    assert.equal(online.status, 200, online.text);
    assert.equal(online.body.refresh_token, undefined);
    assert.equal(await count(), before);
  });

  it('ends offline access when the consent is withdrawn', async () => {
    const browser = new Browser(stack.issuer);
    const tokens = await redeemCode(stack.issuer, dept, await offlineCode(browser, dept, idNumber, password));
    assert.equal(tokens.status, 200, tokens.text);
    const personId = await stack.ctx.identity.findPersonIdByIdNumber(idNumber);
    assert.ok(personId);
    assert.equal(await stack.ctx.identity.withdrawConsent(personId, dept.clientId), true);
    const refused = await refresh(stack.issuer, dept, tokens.body.refresh_token as string);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_grant');
    const { rows } = await stack.ctx.db.query<{ n: string }>('SELECT count(*)::text AS n FROM oidc_grants WHERE client_id = $1', [dept.clientId]);
    assert.equal(rows[0]!.n, '0', 'no grant copy is left');
  });
});
