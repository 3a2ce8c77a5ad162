/**
 * TRUST_PROXY: X-Forwarded-For is believed only as far as the configured proxies. A client that
 * writes its own hops in front cannot change the address that limits and the audit trail see.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import request from 'supertest';
import { REPO_ROOT, loadConfig } from '../../src/config/env.ts';
import { ConfigError } from '../../src/errors.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { entryArgs } from '../support/entry.ts';
import { addClient, addKiosk, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';

const PROXY_SAW = '203.0.113.9';
const FORGED = ['198.51.100.1', '198.51.100.2', '10.0.0.7'];

function trustProxyOf(value: string): unknown {
  return loadConfig({ NODE_ENV: 'test', TRUST_PROXY: value }).trustProxy;
}

/** Sources of the audit events of `type`, chained or still waiting in the outbox. */
async function sourcesOf(stack: Stack, type: string): Promise<string[]> {
  const { rows } = await stack.ctx.db.query<{ source: string | null }>(
    `SELECT source FROM audit_log WHERE type = $1 UNION ALL SELECT source FROM audit_outbox WHERE type = $1`,
    [type],
  );
  return rows.map((r) => String(r.source));
}

describe('TRUST_PROXY', () => {
  it('refuses "true" at start-up with a message naming the forms it takes', async () => {
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, entryArgs('src/main.ts'), {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH, NODE_ENV: 'test', TRUST_PROXY: 'true' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /TRUST_PROXY: "true" would trust every X-Forwarded-For hop/);
    assert.match(run.stderr, /number of proxies in front of the service \(e\.g\. 1\)/);
    assert.match(run.stderr, /addresses or CIDRs separated by commas/);
  });

  it('takes a hop count or a list of addresses and CIDRs, and refuses anything else', () => {
    assert.equal(trustProxyOf('false'), false);
    assert.equal(loadConfig({ NODE_ENV: 'test' }).trustProxy, false);
    assert.equal(trustProxyOf('1'), 1);
    assert.equal(trustProxyOf('2'), 2);
    assert.deepEqual(trustProxyOf('10.0.0.0/8, 192.0.2.7,::1,fd00::/8,loopback'), ['10.0.0.0/8', '192.0.2.7', '::1', 'fd00::/8', 'loopback']);
    for (const bad of ['true', 'yes', '11', '10.0.0.0/33', 'proxy.example.gov', '10.0.0.1,', '*']) {
      assert.throws(() => trustProxyOf(bad), (err: unknown) => err instanceof ConfigError && /TRUST_PROXY: /.test(err.message), bad);
    }
  });

  for (const [setting, description] of [
    ['1', 'one proxy in front'],
    ['127.0.0.1', 'the proxy by its address'],
  ] as const) {
    describe(`with TRUST_PROXY=${setting} (${description})`, () => {
      let stack: Stack;
      let client: TestClient;
      const password = 'Harbour2026light';

      before(async () => {
        stack = await startStack({ env: { TRUST_PROXY: setting } });
        client = await addClient(stack, 'permits');
        await addKiosk(stack, 'hall-kiosk-9');
        await enrolCitizen(stack, 'zhao-min', password);
      });
      after(async () => {
        await client?.rp.close();
        await stack?.close();
      });

      it('audits failed sign-ins against the address the proxy saw, whatever hops the client wrote before it', async () => {
        const { citizen } = await import('../../src/sandbox/citizens.ts');
        for (const forged of FORGED) {
          const browser = new Browser(stack.issuer);
          // what the proxy sends on: the client's own header, then the address it saw
          browser.agent.set('X-Forwarded-For', `${forged}, ${PROXY_SAW}`);
          const chooser = await browser.open(authUrl(client.clientId, client.redirectUri).url);
          const res = await passwordLogin(browser, chooser.text, citizen('zhao-min').idNumber, 'not-the-password-1');
          assert.equal(res.status, 401, res.text.slice(0, 300));
        }
        const sources = await sourcesOf(stack, 'login.failed');
        assert.ok(sources.length >= 1, 'the failures are audited');
        assert.deepEqual([...new Set(sources)], [PROXY_SAW]);
      });

      it('gives the provider the same address (a kiosk’s device request records it)', async () => {
        const res = await request(stack.issuer)
          .post('/device/auth')
          .set('X-Forwarded-For', `${FORGED[0]}, ${PROXY_SAW}`)
          .type('form')
          .send({ client_id: 'hall-kiosk-9', scope: 'openid' });
        assert.equal(res.status, 200, res.text);
        const code = await stack.ctx.provider.DeviceCode.find(res.body.device_code as string);
        assert.equal((code?.deviceInfo as { ip?: string } | undefined)?.ip, PROXY_SAW);
      });
    });
  }
});
