/** Every way a certificate is refused, each with its own code and nothing written; the CRL fails closed. */
import 'reflect-metadata';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyUsageFlags } from '@peculiar/x509';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { issueCertificate, testCertificateOf, type TestCertificate } from '../../../providers/certificate/sandbox.ts';
import type { Page } from '../contract/driver.ts';
import { callback, handoffOf, signedQuery, signWithSimulator, type Handoff } from './helpers.ts';

describe('certificate refusals', () => {
  let stack: Stack;
  let client: TestClient;
  let counts: { persons: number; credentials: number };

  before(async () => {
    // every refusal counts against the source address; room for all of this file's
    stack = await startStack({ rateScopes: { ip: { threshold: 1000, windowSeconds: 60, baseSeconds: 60, maxSeconds: 900 } } });
    client = await addClient(stack, 'permits', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  const count = async (table: string) => Number((await stack.ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);
  const snapshot = async () => ({ persons: await count('persons'), credentials: await count('credentials') });
  beforeEach(async () => {
    counts = await snapshot();
  });

  async function begin(): Promise<{ browser: Browser; page: Page; h: Handoff }> {
    const browser = new Browser(stack.issuer);
    const chooser = await browser.open(authUrl(client.clientId, client.redirectUri).url);
    const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/certificate)"/)!;
    const page = await browser.open(link[1]!);
    return { browser, page, h: handoffOf(page) };
  }

  async function refused(res: Page, code: string, status = code === 'cert_malformed' ? 400 : 401): Promise<void> {
    assert.equal(res.location, undefined, 'no code for the client');
    assert.equal(res.status, status, res.text.slice(0, 400));
    assert.match(res.text, new RegExp(code));
    assert.deepEqual(await snapshot(), counts, 'no person or credential written');
  }

  async function answerWith(cert: TestCertificate, tweak: (q: Record<string, string>) => Record<string, string> = (q) => q) {
    const { browser, h } = await begin();
    return callback(browser, h, tweak(await signedQuery(cert, h.nonce)));
  }

  it('refuses an expired certificate (cert_expired)', async () => {
    const { browser, page } = await begin();
    await refused(await signWithSimulator(browser, page, 'zhao-min:expired'), 'cert_expired');
  });

  it('refuses a certificate not yet valid (cert_expired)', async () => {
    const future = await issueCertificate(citizen('zhao-min'), { notBefore: new Date(Date.now() + 86_400_000) });
    await refused(await answerWith(future), 'cert_expired');
  });

  it('refuses a revoked certificate, listed on the CA’s CRL (cert_revoked)', async () => {
    const { browser, page } = await begin();
    await refused(await signWithSimulator(browser, page, 'ma-jun:revoked'), 'cert_revoked');
  });

  it('refuses a certificate from a CA we do not trust (cert_untrusted)', async () => {
    const { browser, page } = await begin();
    await refused(await signWithSimulator(browser, page, 'ouyang-xue:untrusted'), 'cert_untrusted');
  });

  it('refuses a tampered chain: a changed leaf, a swapped CA, a leaf claiming a trusted CA it was not signed by', async () => {
    const good = await testCertificateOf('wang-fang');
    const [leaf, ca] = good.chain.split('.') as [string, string];
    const der = Buffer.from(leaf, 'base64url');
    // inside the subject: the CA's signature no longer covers these bytes
    const at = der.indexOf(Buffer.from(citizen('wang-fang').idNumber));
    der.writeUInt8(der.readUInt8(at) ^ 0x01, at);
    await refused(await answerWith(good, (q) => ({ ...q, chain: `${der.toString('base64url')}.${ca}` })), 'cert_untrusted');

    const stranger = await testCertificateOf('ouyang-xue', 'untrusted');
    const otherCa = stranger.chain.split('.')[1]!;
    await refused(await answerWith(good, (q) => ({ ...q, chain: `${leaf}.${otherCa}` })), 'cert_untrusted');
    await refused(await answerWith(stranger, (q) => ({ ...q, chain: `${stranger.chain.split('.')[0]}.${ca}` })), 'cert_untrusted');
    // the CA certificate alone, as if it were the leaf: a CA key does not sign sign-ins
    await refused(await answerWith(good, (q) => ({ ...q, chain: ca })), 'cert_key_usage');
  });

  it('refuses a certificate without digitalSignature (cert_key_usage)', async () => {
    const enc = await issueCertificate(citizen('zhang-wei'), { keyUsage: KeyUsageFlags.keyEncipherment });
    await refused(await answerWith(enc), 'cert_key_usage');
  });

  it('refuses a signature that is not over our nonce by the certificate’s key (cert_bad_signature)', async () => {
    const good = await testCertificateOf('wang-fang');
    const other = await testCertificateOf('li-na');
    await refused(await answerWith(good, (q) => ({ ...q, signature: 'A'.repeat(86) })), 'cert_bad_signature');
    // someone else's key, and a signature over some other nonce
    const { browser, h } = await begin();
    const theirs = await signedQuery(other, h.nonce);
    await refused(await callback(browser, h, { ...(await signedQuery(good, h.nonce)), signature: theirs.signature! }), 'cert_bad_signature');
    const elsewhere = await signedQuery(good, 'x'.repeat(43));
    await refused(await answerWith(good, (q) => ({ ...q, signature: elsewhere.signature! })), 'cert_bad_signature');
  });

  it('refuses a signature spoiled by the signing software (sandbox bad_signature)', async () => {
    const { browser, page } = await begin();
    await control('fail', { authority: 'ca', mode: 'bad_signature', count: 1 });
    await refused(await signWithSimulator(browser, page, 'wang-fang:valid'), 'cert_bad_signature');
  });

  it('refuses answers it cannot read (cert_malformed)', async () => {
    const good = await testCertificateOf('wang-fang');
    await refused(await answerWith(good, (q) => ({ ...q, chain: 'AAAA' })), 'cert_malformed');
    await refused(await answerWith(good, (q) => ({ ...q, chain: '' })), 'cert_malformed');
    await refused(await answerWith(good, (q) => ({ ...q, chain: '<script>' })), 'cert_malformed');
    await refused(await answerWith(good, (q) => ({ ...q, signature: 'abc' })), 'cert_malformed');
    await refused(await answerWith(good, (q) => ({ ...q, alg: 'none' })), 'cert_malformed');
    await refused(await answerWith(good, (q) => ({ ...q, chain: `${q.chain}.${'A'.repeat(9000)}` })), 'cert_malformed');
  });

  it('refuses a certificate whose subject carries no valid ID number (cert_no_id_number)', async () => {
    const none = await issueCertificate(citizen('huang-qiang'), { withoutIdNumber: true });
    await refused(await answerWith(none), 'cert_no_id_number');
    const real = citizen('huang-qiang').idNumber;
    const wrong = await issueCertificate({ name: '黄强', idNumber: `${real.slice(0, 17)}${real.endsWith('0') ? '1' : '0'}` });
    await refused(await answerWith(wrong), 'cert_no_id_number');
  });

  it('is unavailable (503, fail closed) when the CA’s CRL cannot be fetched, and writes nothing', async () => {
    const { browser, page } = await begin();
    await control('fail', { authority: 'ca', mode: 'error', count: 10 });
    try {
      await refused(await signWithSimulator(browser, page, 'zhou-xiuying:valid'), 'method_unavailable', 503);
    } finally {
      await control('reset');
    }
    const audit = await stack.ctx.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM audit_log WHERE type = 'authority.unavailable' ORDER BY seq DESC LIMIT 1",
    );
    assert.equal(audit.rows[0]?.data.authority, 'ca');
  });

  it('is unavailable when the CRL is not signed by the CA, or is not a CRL', async () => {
    for (const mode of ['bad_signature', 'malformed'] as const) {
      const good = await testCertificateOf('zhou-xiuying');
      const { browser, h } = await begin();
      const query = await signedQuery(good, h.nonce);
      await control('fail', { authority: 'ca', mode, count: 2 });
      try {
        await refused(await callback(browser, h, query), 'method_unavailable', 503);
      } finally {
        await control('reset');
      }
    }
  });

  it('keeps ID numbers and certificate serials out of the audit trail', async () => {
    const { browser, page } = await begin();
    const done = await signWithSimulator(browser, page, 'zhou-xiuying:valid');
    assert.ok(done.location);
    const rows = await stack.ctx.db.query<{ all: string }>('SELECT string_agg(data::text || coalesce(subject_index, \'\'), \' \') AS all FROM audit_log');
    const text = rows.rows[0]!.all;
    assert.ok(!text.includes(citizen('zhou-xiuying').idNumber));
    assert.ok(!text.includes((await testCertificateOf('zhou-xiuying')).serialNumber));
  });

  async function control(what: 'fail' | 'reset', body?: unknown): Promise<void> {
    const res = await fetch(`${stack.sandboxUrl}/control/${what}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.equal(res.status, 200);
  }
});
