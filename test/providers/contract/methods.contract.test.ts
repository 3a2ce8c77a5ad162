/**
 * The contract every registered login method keeps, through the real pages: a full code flow
 * with PKCE ends in an ID token with the method's level and amr; an authority that is down
 * gives a clear 503 page, an audit record, and no person or credential; garbage input is a 4xx.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, basic, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../../support/browser.ts';
import type { MethodDriver, Page } from './driver.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

async function loadDrivers(): Promise<MethodDriver[]> {
  const drivers: MethodDriver[] = [];
  for (const dir of (await readdir(path.join(here, '..'))).sort()) {
    const file = path.join(here, '..', dir, 'driver.ts');
    if (dir !== 'contract' && existsSync(file)) drivers.push(((await import(file)) as { driver: MethodDriver }).driver);
  }
  return drivers;
}

const drivers = await loadDrivers();

describe('login method contract', () => {
  let stack: Stack;
  let client: TestClient;

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'contract-rp', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  async function firstPage(browser: Browser, method: string): Promise<Page> {
    const chooser = await browser.open(authUrl(client.clientId, client.redirectUri).url);
    const link = chooser.text.match(new RegExp(`href="(/interaction/[^"]+/method/${method})"`));
    assert.ok(link, `the chooser offers ${method}`);
    return browser.open(link[1]!);
  }
  const count = async (table: string) => Number((await stack.ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);

  it('has a driver for every enabled method', () => {
    const missing = [...stack.ctx.methods.keys()].filter((id) => !drivers.some((d) => d.method === id));
    assert.deepEqual(missing, []);
  });

  for (const d of drivers) {
    describe(d.method, () => {
      it('signs in end to end and the ID token carries the level and amr', async () => {
        const m = stack.ctx.methods.get(d.method);
        assert.ok(m, `${d.method} is enabled`);
        const browser = new Browser(stack.issuer);
        await d.prepare({ stack, browser });
        const r = authUrl(client.clientId, client.redirectUri);
        const chooser = await browser.open(r.url);
        const link = chooser.text.match(new RegExp(`href="(/interaction/[^"]+/method/${d.method})"`))!;
        const done = await d.signIn({ stack, browser }, await browser.open(link[1]!));
        const token = await request(stack.issuer)
          .post('/token')
          .set('Authorization', basic(client))
          .type('form')
          .send({ grant_type: 'authorization_code', code: codeFrom(done.location, r.state), redirect_uri: client.redirectUri, code_verifier: r.verifier });
        assert.equal(token.status, 200, token.text);
        const idt = decodeJwt(token.body.id_token as string);
        assert.ok(String(idt.acr).startsWith('urn:tongban:loa:'));
        assert.ok(Number(String(idt.acr).slice(-1)) >= 1);
        for (const a of m.amr) assert.ok((idt.amr as string[]).includes(a), `amr has ${a}`);
      });

      if (d.authority) {
        it(`is "unavailable, try another" when ${d.authority} is down, and writes nothing`, async () => {
          const browser = new Browser(stack.issuer);
          const persons = await count('persons');
          const credentials = await count('credentials');
          const first = await firstPage(browser, d.method);
          await fetch(`${stack.sandboxUrl}/control/fail`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ authority: d.authority, mode: 'error', count: 10 }),
          });
          try {
            const page = await d.signIn({ stack, browser }, first).catch((e: Error) => ({ status: 0, text: String(e), path: '' }) as Page);
            assert.equal(page.location, undefined, 'no code');
            assert.equal(page.status, 503, page.text.slice(0, 300));
            assert.match(page.text, /method_unavailable/);
          } finally {
            await fetch(`${stack.sandboxUrl}/control/reset`, { method: 'POST' });
          }
          assert.equal(await count('persons'), persons);
          assert.equal(await count('credentials'), credentials);
        });
      }

      it('answers garbage input with a 4xx, never a 500', async () => {
        const browser = new Browser(stack.issuer);
        const first = await firstPage(browser, d.method);
        const action = first.text.match(/<form method="post" action="([^"]+\/(?:method|enrol)\/[^"]+)"/)?.[1];
        if (!action) return; // a redirect or waiting page has no form to abuse
        const res = await browser.submit(first.text, new RegExp(action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), {
          step: 'no-such-step',
          id_number: '\u0000<script>',
          code: 'x'.repeat(300),
        });
        assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
      });
    });
  }
});
