/**
 * The contract every registered login method keeps, through the real pages: a full code flow
 * with PKCE ends in an ID token with exactly the method's level and amr; a wrong answer, an
 * expired challenge, used-up tries and a replayed answer sign nobody in and say why; an
 * authority that is down gives a clear 503 page and writes nothing; garbage input is a 4xx.
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
import { authUrl, Browser, codeFrom, type PkceRequest } from '../../support/browser.ts';
import { roomyScopes } from '../../support/limits.ts';
import { moduleFile } from '../../support/entry.ts';
import { challengeKey } from '../../../src/interaction/method-context.ts';
import type { DriverEnv, MethodDriver, Page, Refusal } from './driver.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

async function loadDrivers(): Promise<MethodDriver[]> {
  const drivers: MethodDriver[] = [];
  for (const dir of (await readdir(path.join(here, '..'))).sort()) {
    const file = path.join(here, '..', dir, moduleFile('driver.ts'));
    if (dir !== 'contract' && existsSync(file)) drivers.push(((await import(file)) as { driver: MethodDriver }).driver);
  }
  return drivers;
}

const drivers = await loadDrivers();
const skipped = (c: object): string | undefined => ('skip' in c ? (c as { skip: string }).skip : undefined);

// where the contract's client gets its codes (set once the client is registered)
let CLIENT_REDIRECT = 'unset:';

/** A refused step: no code for the client, the expected status and error code on the page. */
function assertRefused(page: Page, refused: Refusal, what: string): void {
  const code = page.location?.startsWith(CLIENT_REDIRECT) ? new URL(page.location).searchParams.get('code') : null;
  assert.equal(code, null, `${what}: no authorization code (${page.location})`);
  assert.equal(page.status, refused.status, `${what}: status (${page.text.slice(0, 300)})`);
  assert.match(page.text, refused.code, what);
}

describe('login method contract', () => {
  let stack: Stack;
  let client: TestClient;
  // the rate limits' clock: moved on instead of waiting for a back-off to end
  let now = Date.now();
  const DAY = 86_400_000;

  before(async () => {
    // production limits, but for the address: every test here comes from one
    stack = await startStack({ clock: () => now, rateScopes: { ip: roomyScopes.ip } });
    client = await addClient(stack, 'contract-rp', { tongban_first_party: true });
    CLIENT_REDIRECT = client.redirectUri;
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  /** A fresh browser on the method's first page, from a fresh authorization request. */
  async function open(d: MethodDriver): Promise<{ t: DriverEnv; first: Page; req: PkceRequest }> {
    const browser = new Browser(stack.issuer);
    const req = authUrl(client.clientId, client.redirectUri);
    const chooser = await browser.open(req.url);
    const link = chooser.text.match(new RegExp(`href="(/interaction/([^"/]+)/method/${d.method})"`));
    assert.ok(link, `the chooser offers ${d.method}`);
    const t: DriverEnv = { stack, browser, uid: link[2]!, fresh: () => open(d) };
    await d.prepare(t);
    return { t, first: await browser.open(link[1]!), req };
  }
  const count = async (table: string) => Number((await stack.ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);
  const dropChallenge = (uid: string, method: string) => {
    const base = challengeKey(uid, method, 'login');
    return stack.ctx.store.del([base, `${base}:n`]);
  };
  async function idTokenOf(req: PkceRequest, done: Page) {
    const token = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(client))
      .type('form')
      .send({ grant_type: 'authorization_code', code: codeFrom(done.location, req.state), redirect_uri: client.redirectUri, code_verifier: req.verifier });
    assert.equal(token.status, 200, token.text);
    return decodeJwt(token.body.id_token as string);
  }

  it('has a driver for every registered method', () => {
    const missing = [...stack.ctx.methods.keys()].filter((id) => !drivers.some((d) => d.method === id));
    assert.deepEqual(missing, []);
    assert.equal(drivers.length, stack.ctx.methods.size);
  });

  for (const d of drivers) {
    describe(d.method, () => {
      it('signs in end to end and the ID token carries exactly the method\'s level and amr', async () => {
        const m = stack.ctx.methods.get(d.method);
        assert.ok(m, `${d.method} is registered`);
        const { t, first, req } = await open(d);
        const idt = await idTokenOf(req, await d.finish(t, await d.begin(t, first)));
        const want = d.carries ?? { level: m.level, amr: m.amr };
        assert.equal(idt.acr, `urn:tongban:loa:${want.level}`);
        assert.deepEqual([...(idt.amr as string[])].sort(), [...want.amr].sort());
      });

      it(`refuses ${d.wrong.what} and signs nobody in`, async () => {
        const { t, first } = await open(d);
        assertRefused(await d.wrong.answer(t, await d.begin(t, first)), d.wrong.refused, d.wrong.what);
      });

      const expiry = d.expiry;
      it('refuses the last step once its challenge has expired', { skip: skipped(expiry) }, async () => {
        if ('skip' in expiry) throw new Error('unreachable: skipped');
        const { t, first } = await open(d);
        const at = await d.begin(t, first);
        await (expiry.expire ? expiry.expire(t, at) : dropChallenge(t.uid, d.method));
        assertRefused(await d.finish(t, at), expiry.refused, 'after expiry');
      });

      const replay = d.replay;
      it('signs nobody in when its answer is replayed', { skip: skipped(replay) }, async () => {
        if ('skip' in replay) throw new Error('unreachable: skipped');
        const { t, first, req } = await open(d);
        const at = await d.begin(t, first);
        const done = await d.finish(t, at);
        codeFrom(done.location, req.state);
        const again = await (replay.again ? replay.again(t, at, done) : d.finish(t, at));
        assertRefused(again, replay.refused, 'replayed');
      });

      const exhaust = d.exhaust;
      it('refuses even the right answer once the tries are used up', { skip: skipped(exhaust) }, async () => {
        if ('skip' in exhaust) throw new Error('unreachable: skipped');
        // whole windows of the rate limits pass first and after: the tries counted are this test's alone
        now += 40 * DAY;
        try {
          const { t, first } = await open(d);
          const at = await d.begin(t, first);
          for (let i = 0; i < exhaust.tries; i++) assertRefused(await d.wrong.answer(t, at), d.wrong.refused, `wrong try ${i + 1}`);
          assertRefused(await d.finish(t, at), exhaust.refused, 'the right answer after the tries ran out');
        } finally {
          now += 40 * DAY;
        }
      });

      if (d.authority) {
        it(`is "unavailable, try another" when ${d.authority} is down, and writes nothing`, async () => {
          const { t, first } = await open(d);
          const persons = await count('persons');
          const credentials = await count('credentials');
          await fetch(`${stack.sandboxUrl}/control/fail`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ authority: d.authority, mode: 'error', count: 10 }),
          });
          try {
            const page = await d.begin(t, first).then((at) => (at.status >= 400 ? at : d.finish(t, at)));
            assertRefused(page, { status: 503, code: /method_unavailable/ }, 'authority down');
          } finally {
            await fetch(`${stack.sandboxUrl}/control/reset`, { method: 'POST' });
          }
          assert.equal(await count('persons'), persons);
          assert.equal(await count('credentials'), credentials);
        });
      } else {
        it('is "unavailable" when its authority is down', { skip: 'no outside authority: nothing of ours calls one for this method' }, () => {});
      }

      it('answers garbage input with a 4xx, never a 500', async () => {
        const { t, first } = await open(d);
        const action = first.text.match(/<form method="post" action="([^"]+\/(?:method|enrol)\/[^"]+)"/)?.[1];
        let res: Page;
        if (action) {
          res = await t.browser.submit(first.text, new RegExp(action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), {
            step: 'no-such-step',
            id_number: '\u0000<script>',
            code: 'x'.repeat(300),
          });
        } else {
          assert.ok(d.garbage, `${d.method} has no form on its first page: its driver must say what garbage it gets instead`);
          res = await d.garbage.send(t, first);
        }
        assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
        assert.equal(res.location, undefined, 'no redirect to the client');
      });
    });
  }
});
