/**
 * What a sign-in puts on the record: a credential is "bound" once, when the binding is made,
 * not at every later sign-in with it; a first sign-in's new person and credential commit with
 * their audit events or not at all.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { networkIdOf } from '../../providers/gov-eid/sandbox.ts';
import { confirmInApp, openQr, pollPathOf, qrUrlOf } from '../providers/gov-eid/steps.ts';
import { signWithSimulator } from '../providers/certificate/helpers.ts';
import { refuseAuditEvents } from '../audit/refuse-events.ts';

describe('sign-in audit records', () => {
  let stack: Stack;
  let client: TestClient;
  const events = async (type: string, method: string) =>
    Number(
      (await stack.ctx.db.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_log WHERE type = $1 AND data->>'method' = $2", [type, method])).rows[0]!
        .n,
    );

  async function eidSignIn(key: string) {
    const browser = new Browser(stack.issuer);
    const { page } = await openQr(browser, client);
    assert.equal((await confirmInApp(qrUrlOf(page), key, 'password')).status, 200);
    return browser.open(pollPathOf(page));
  }

  async function certificateSignIn(key: string) {
    const browser = new Browser(stack.issuer);
    const chooser = await browser.open(authUrl(client.clientId, client.redirectUri).url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/certificate)"/);
    assert.ok(link, 'the chooser offers the certificate');
    return signWithSimulator(browser, await browser.open(link[1]!), `${key}:valid`);
  }

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'records-rp', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  it('records credential.bound once for an eID used to sign in three times', async () => {
    for (let i = 0; i < 3; i++) {
      const done = await eidSignIn('chen-jing');
      assert.ok(done.location?.startsWith(client.redirectUri), `sign-in ${i + 1} (${done.status})`);
    }
    assert.equal(await events('credential.bound', 'gov-eid'), 1);
    assert.equal(await events('person.enrolled', 'gov-eid'), 1);
    assert.equal(await events('login.succeeded', 'gov-eid'), 3);
  });

  it('records credential.bound once for a certificate used to sign in three times', async () => {
    for (let i = 0; i < 3; i++) {
      const done = await certificateSignIn('li-na');
      assert.ok(done.location?.startsWith(client.redirectUri), `sign-in ${i + 1} (${done.status})`);
    }
    assert.equal(await events('credential.bound', 'certificate'), 1);
    assert.equal(await events('login.succeeded', 'certificate'), 3);
  });

  it('creates no person and no credential when the enrolment cannot be recorded', async () => {
    const refusal = await refuseAuditEvents(stack.ctx.db);
    const who = citizen('ouyang-xue');
    await refusal.refuse('credential.bound');
    const refused = await eidSignIn('ouyang-xue');
    assert.equal(refused.status, 503);
    assert.match(refused.text, /此操作未能写入审计记录，因此没有执行/);
    assert.equal(await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber), null, 'the person rolled back with the credential');
    assert.equal(await stack.ctx.identity.findCredential('gov-eid', networkIdOf('ouyang-xue')), null);
    assert.equal((await stack.ctx.db.query('SELECT 1 FROM audit_outbox')).rowCount, 0);

    await refusal.allowAll();
    const done = await eidSignIn('ouyang-xue');
    assert.ok(done.location?.startsWith(client.redirectUri), `signed in once recorded (${done.status})`);
    const personId = await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber);
    assert.ok(personId);
    assert.equal((await stack.ctx.identity.findCredential('gov-eid', networkIdOf('ouyang-xue')))?.personId, personId);
  });
});
