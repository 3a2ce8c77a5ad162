// test-pass: postgres-redis — needs DATABASE_URL; stops a PostgreSQL of its own
/**
 * PostgreSQL frozen or stopped in the middle of a registration, a sign-in and a token request that
 * must write to it (offline access: the refresh token and its grant live in PostgreSQL), on a
 * cluster of this test's own: every answer while it is out is a prompt "temporarily
 * unavailable" (within the configured timeouts, not after the database comes back), /readyz
 * says so, nothing is half-written, and once it is back the service works without a restart.
 * Runs with the PostgreSQL suite (DATABASE_URL set) where the server binaries are installed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen } from '../support/login.ts';
import { ownPostgresMissing, startOwnPostgres, type OwnPostgres } from '../support/own-postgres.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { offlineCode } from '../oidc/tokens.ts';
import { INDEX_DOMAIN } from '../../src/identity/types.ts';
import { assertUnavailableJson, assertUnavailablePage, passwordForm, redeem, throughConsent, waitUntilReady } from './outage-steps.ts';

const skip = ownPostgresMissing || (!process.env.DATABASE_URL && 'runs with the PostgreSQL suite (DATABASE_URL set)');
const PASSWORD = 'Spring2026rain';

describe('a PostgreSQL outage', { skip }, () => {
  let pg: OwnPostgres;
  let stack: Stack;
  let client: TestClient;
  let idNumber: string;

  before(async () => {
    pg = await startOwnPostgres();
    stack = await startStack({
      // the in-process store: only the database goes away here
      env: { DATABASE_URL: pg.url, REDIS_URL: '', PG_CONNECT_TIMEOUT_MS: '1000', PG_STATEMENT_TIMEOUT_MS: '1000' },
      weakArgon2: true,
    });
    client = await addClient(stack, 'dept-pg-outage', { scope: 'openid profile offline_access' });
    idNumber = (await enrolCitizen(stack, 'zhang-wei', PASSWORD)).idNumber;
  });
  after(async () => {
    await pg?.thaw();
    await client?.rp.close();
    await stack?.close();
    await pg?.close();
  });

  async function lastCode(phone: string): Promise<string> {
    const res = await fetch(`${stack.sandboxUrl}/sms/outbox.json?phone=${phone}`);
    const list = (await res.json()) as Array<{ text: string }>;
    const m = list[0]?.text.match(/(\d{6})/);
    assert.ok(m, 'an SMS code was sent');
    return m[1]!;
  }

  /** persons without a credential and credentials without a person */
  async function halfWritten(): Promise<{ persons: string; credentials: string }> {
    const { rows } = await stack.ctx.db.query<{ persons: string; credentials: string }>(
      `SELECT (SELECT count(*) FROM persons p WHERE NOT EXISTS (SELECT 1 FROM credentials c WHERE c.person_id = p.id)) AS persons,
              (SELECT count(*) FROM credentials c WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = c.person_id)) AS credentials`,
    );
    return rows[0]!;
  }

  it('answers 503 while PostgreSQL is frozen mid-registration and mid-token, and leaves nothing half-written', async () => {
    // a code for offline access: its exchange stores a refresh token (a code exchange without one
    // may be answered from what the sign-in read, without the database)
    const issued = await offlineCode(new Browser(stack.issuer), client, idNumber, PASSWORD);

    // a newcomer registers: the form, then the SMS code page; the code's submission creates the person
    const newcomer = citizen('wang-fang');
    const browser = new Browser(stack.issuer);
    const req = authUrl(client.clientId, client.redirectUri);
    const chooser = await browser.open(req.url);
    const enrolLink = chooser.text.match(/href="(\/interaction\/[^"]+\/enrol\/id-card-password)"/);
    assert.ok(enrolLink, 'the chooser offers registration');
    const form = await browser.open(enrolLink[1]!);
    const otpPage = await browser.submit(form.text, /enrol\/id-card-password/, {
      id_number: newcomer.idNumber,
      name: newcomer.name,
      password: PASSWORD,
      phone: newcomer.phone!,
    });
    assert.equal(otpPage.status, 200, otpPage.text.slice(0, 400));
    const otp = await lastCode(newcomer.phone!);

    await pg.freeze();
    try {
      // every answer below arrives while PostgreSQL is still frozen
      const [registered, token, ready] = await Promise.all([
        browser.submit(otpPage.text, /enrol\/id-card-password/, { code: otp }),
        redeem(stack.issuer, client, issued),
        request(stack.issuer).get('/readyz').timeout(15_000),
      ]);
      assertUnavailablePage(registered, 'the registration');
      assertUnavailableJson(token, 'the token endpoint');
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body, { status: 'unavailable', database: 'unavailable', store: 'ok' });
    } finally {
      await pg.thaw();
    }
    await waitUntilReady(stack.issuer);

    assert.deepEqual(await halfWritten(), { persons: '0', credentials: '0' });
    const index = stack.ctx.cipher.blindIndex(INDEX_DOMAIN.idNumber, newcomer.idNumber);
    const { rows } = await stack.ctx.db.query<{ n: string }>('SELECT count(*) AS n FROM persons WHERE id_number_index = $1', [index]);
    assert.equal(rows[0]!.n, '0', 'the registration did not happen');
    // the code was used up by the attempt; registering again from the sign-in page works
    const restart = await browser.open(req.url);
    const link = restart.text.match(/href="(\/interaction\/[^"]+\/enrol\/id-card-password)"/);
    assert.ok(link);
    const retryForm = await browser.open(link[1]!);
    const retryOtp = await browser.submit(retryForm.text, /enrol\/id-card-password/, {
      id_number: newcomer.idNumber,
      name: newcomer.name,
      password: PASSWORD,
      phone: newcomer.phone!,
    });
    assert.equal(retryOtp.status, 200, retryOtp.text.slice(0, 400));
    const done = await throughConsent(browser, await browser.submit(retryOtp.text, /enrol\/id-card-password/, { code: await lastCode(newcomer.phone!) }));
    const tokens = await redeem(stack.issuer, client, { code: codeFrom(done.location, req.state), verifier: req.verifier });
    assert.equal(tokens.status, 200, tokens.text);
    const after = await stack.ctx.db.query<{ n: string }>('SELECT count(*) AS n FROM persons WHERE id_number_index = $1', [index]);
    assert.equal(after.rows[0]!.n, '1', 'registered once');
    assert.deepEqual(await halfWritten(), { persons: '0', credentials: '0' });
    assert.equal((await stack.ctx.audit.verifyChain()).ok, true, 'the audit chain verifies');
  });

  it('answers 503 while PostgreSQL is stopped, and signs in again once it is started', async () => {
    const browser = new Browser(stack.issuer);
    const req = authUrl(client.clientId, client.redirectUri);
    const form = await passwordForm(browser, req.url);

    await pg.stop();
    try {
      const submitted = await browser.submit(form.text, /method\/id-card-password/, { id_number: idNumber, password: PASSWORD });
      assertUnavailablePage(submitted, 'the submitted sign-in form');
      const ready = await request(stack.issuer).get('/readyz').timeout(15_000);
      assert.equal(ready.status, 503);
      assert.equal(ready.headers['retry-after'], '5');
    } finally {
      await pg.start();
    }
    await waitUntilReady(stack.issuer);
    // the same form, submitted again
    const back = await throughConsent(browser, await browser.submit(form.text, /method\/id-card-password/, { id_number: idNumber, password: PASSWORD }));
    const tokens = await redeem(stack.issuer, client, { code: codeFrom(back.location, req.state), verifier: req.verifier });
    assert.equal(tokens.status, 200, tokens.text);
    assert.equal((await stack.ctx.audit.verifyChain()).ok, true, 'the audit chain verifies');
  });
});
