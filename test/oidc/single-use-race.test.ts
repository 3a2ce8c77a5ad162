/**
 * Single use under races: the same authorization code, refresh token or device code redeemed
 * by many simultaneous token requests, on one instance and on two sharing PostgreSQL and Redis.
 * Exactly one wins; a second redemption revokes the grant, the winner's tokens included.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { clientsKnown, sharedBackends, startInstances, type Instances } from '../support/instances.ts';
import { addClient, addKiosk, type TestClient } from '../support/clients.ts';
import { Browser } from '../support/browser.ts';
import { enrolCitizen } from '../support/login.ts';
import { act, seedCentres, staffConsole, verifyFields } from '../counter/support.ts';
import { exactlyOneWinner, introspect, offlineCode, redeemCode, refresh, userinfoStatus } from './tokens.ts';

const RACERS = 30;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const password = 'Race2026single';

/** Every token the winner got is dead: introspection says inactive, userinfo refuses, refresh fails. */
async function assertRevoked(issuer: string, client: TestClient, tokens: Record<string, unknown>): Promise<void> {
  const at = tokens.access_token as string;
  assert.equal((await introspect(issuer, client, at)).active, false, 'the winner’s access token is revoked');
  assert.equal(await userinfoStatus(issuer, at), 401, 'userinfo refuses the winner’s access token');
  if (typeof tokens.refresh_token === 'string') {
    assert.equal((await introspect(issuer, client, tokens.refresh_token)).active, false, 'the winner’s refresh token is revoked');
    const again = await refresh(issuer, client, tokens.refresh_token);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
  }
}

function raceSuite(name: string, setup: () => Promise<{ issuer: string; stack: Stack; all: Stack[]; close(): Promise<void> }>, opts: { skip?: string | false } = {}) {
  describe(name, { skip: opts.skip }, () => {
    let issuer: string;
    let stack: Stack;
    let close: () => Promise<void>;
    let dept: TestClient;
    let browser: Browser;
    let idNumber: string;

    before(async () => {
      let all: Stack[];
      ({ issuer, stack, all, close } = await setup());
      dept = await addClient(stack, 'dept-race', { scope: 'openid profile offline_access' });
      idNumber = (await enrolCitizen(stack, 'zhao-min', password)).idNumber;
      browser = new Browser(issuer);
      await seedCentres(stack);
      await addKiosk(stack, 'hall-kiosk-race', { name: '大厅自助机', scope: 'openid profile' });
      await clientsKnown(all, [dept.clientId, 'hall-kiosk-race']);
    });
    after(async () => {
      await dept?.rp.close();
      await close?.();
    });

    it(`lets exactly one of ${RACERS} simultaneous redemptions of an authorization code win, and revokes its tokens`, async () => {
      const issued = await offlineCode(browser, dept, idNumber, password);
      const replies = await Promise.all(Array.from({ length: RACERS }, () => redeemCode(issuer, dept, issued)));
      const won = exactlyOneWinner(replies);
      assert.ok(won.body.refresh_token, 'offline access was granted');
      await assertRevoked(issuer, dept, won.body);
    });

    it(`lets exactly one of ${RACERS} simultaneous uses of a refresh token rotate it, and revokes the grant`, async () => {
      const first = await redeemCode(issuer, dept, await offlineCode(browser, dept, idNumber, password));
      assert.equal(first.status, 200, first.text);
      const replies = await Promise.all(Array.from({ length: RACERS }, () => refresh(issuer, dept, first.body.refresh_token as string)));
      const won = exactlyOneWinner(replies);
      assert.notEqual(won.body.refresh_token, first.body.refresh_token, 'rotated');
      await assertRevoked(issuer, dept, won.body);
      await assertRevoked(issuer, dept, first.body);
    });

    it('keeps a refresh token that is used once, one after the other, working', async () => {
      // the control for the races above: rotation without a race revokes nothing
      const first = await redeemCode(issuer, dept, await offlineCode(browser, dept, idNumber, password));
      const second = await refresh(issuer, dept, first.body.refresh_token as string);
      assert.equal(second.status, 200, second.text);
      const third = await refresh(issuer, dept, second.body.refresh_token as string);
      assert.equal(third.status, 200, third.text);
      assert.equal((await introspect(issuer, dept, third.body.access_token as string)).active, true);
      assert.equal(await userinfoStatus(issuer, third.body.access_token as string), 200);
    });

    it(`lets exactly one of ${RACERS} simultaneous polls of an approved device code get tokens, and revokes them`, async () => {
      const dev = await request(issuer).post('/device/auth').type('form').send({ client_id: 'hall-kiosk-race', scope: 'openid profile' });
      assert.equal(dev.status, 200, dev.text);
      const { device_code, user_code } = dev.body as { device_code: string; user_code: string };
      const { browser: staff, page } = await staffConsole(stack, 'yang-lei');
      const visit = await act(staff, page, /\/counter\/verify/, verifyFields('sun-guilan'));
      const approved = await act(staff, visit, /\/counter\/kiosk/, { user_code, reason: '自助机办理' });
      assert.equal(approved.status, 200, approved.text.slice(0, 400));

      const poll = () => request(issuer).post('/token').type('form').send({ grant_type: DEVICE_GRANT, device_code, client_id: 'hall-kiosk-race' });
      const replies = await Promise.all(Array.from({ length: RACERS }, poll));
      const won = exactlyOneWinner(replies);
      const at = won.body.access_token as string;
      assert.equal(await userinfoStatus(issuer, at), 401, 'the kiosk’s access token is revoked');
      const again = await poll();
      assert.equal(again.status, 400);
      assert.equal(again.body.error, 'invalid_grant');
    });
  });
}

raceSuite('single use on one instance', async () => {
  const stack = await startStack();
  return { issuer: stack.issuer, stack, all: [stack], close: () => stack.close() };
});

raceSuite(
  'single use across two instances sharing PostgreSQL and Redis',
  async () => {
    const multi: Instances = await startInstances(2);
    return { issuer: multi.issuer, stack: multi.stacks[0]!, all: multi.stacks, close: () => multi.close() };
  },
  { skip: sharedBackends },
);
