/** The way back from the face authority: single use, bound to its interaction, and an authority that fails. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { Browser } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { capture, captureUrlOf, codeOn, ensureEnrolled, openFace, submitConsent, submitDetails } from './steps.ts';

describe('face callback', () => {
  let stack: Stack;
  let client: TestClient;
  const who = citizen('chen-jing');

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'face-cb', { tongban_first_party: true });
    await ensureEnrolled(stack, 'chen-jing');
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  /** Up to the authority's capture page: returns its URL. */
  async function toCapture(browser: Browser): Promise<string> {
    const consent = await submitDetails(browser, await openFace(browser, client.clientId, client.redirectUri), who);
    const url = captureUrlOf(await submitConsent(browser, consent));
    assert.ok(url, 'a capture session was started');
    return url;
  }

  async function failNext(authority: string, mode: string, count = 1): Promise<void> {
    const res = await fetch(`${stack.sandboxUrl}/control/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authority, mode, count }),
    });
    assert.equal(res.status, 200);
  }
  const reset = () => fetch(`${stack.sandboxUrl}/control/reset`, { method: 'POST' });

  it('carries back only the session id, our bizNo and done/cancelled: no image, no sample', async () => {
    const back = new URL(await capture(await toCapture(new Browser(stack.issuer)), 'match'));
    assert.deepEqual([...back.searchParams.keys()].sort(), ['bizNo', 'result', 'sessionId']);
    assert.match(back.pathname, /^\/interaction\/[^/]+\/callback\/face$/);
  });

  it('signs in once: a replayed callback, even a concurrent one, is refused', async () => {
    const browser = new Browser(stack.issuer);
    const back = await capture(await toCapture(browser), 'match');
    const [a, b] = await Promise.all([browser.open(back), browser.open(back)]);
    const wins = [a, b].filter((p) => p.location?.startsWith(client.redirectUri));
    assert.equal(wins.length, 1, `statuses ${a.status} ${b.status}`);
    const loser = wins[0] === a ? b : a;
    assert.equal(loser.location, undefined);
    assert.ok(loser.status >= 400 && loser.status < 500, `status ${loser.status}`);
    const again = await browser.open(back);
    assert.equal(again.location, undefined, 'and later too');
  });

  it('refuses the replay of a failed callback without asking the authority again', async () => {
    const browser = new Browser(stack.issuer);
    const back = await capture(await toCapture(browser), 'mismatch');
    assert.equal(codeOn(await browser.open(back)), 'face_no_match');
    // were the authority asked, this pending failure would turn the answer into a 503
    await failNext('face', 'error');
    try {
      const replay = await browser.open(back);
      assert.equal(replay.status, 400);
      assert.match(codeOn(replay) ?? '', /^(challenge_expired|state_mismatch)$/);
      const pending = (await (await fetch(`${stack.sandboxUrl}/control/fail`)).json()) as Record<string, unknown>;
      assert.ok(pending.face, 'the authority was not called');
    } finally {
      await reset();
    }
  });

  it('refuses the session of another interaction, and leaves this one’s own session usable', async () => {
    const mine = new Browser(stack.issuer);
    const other = new Browser(stack.issuer);
    const myCapture = await toCapture(mine);
    const theirBack = new URL(await capture(await toCapture(other), 'match'));
    const myBack = new URL(await capture(myCapture, 'match'));
    // their session id and bizNo, brought to my callback
    const forged = new URL(myBack);
    forged.search = theirBack.search;
    const refused = await mine.open(forged.toString());
    assert.equal(refused.location, undefined);
    assert.equal(refused.status, 400);
    assert.equal(codeOn(refused), 'state_mismatch');
    // my bizNo with their session id
    forged.searchParams.set('bizNo', myBack.searchParams.get('bizNo')!);
    assert.equal(codeOn(await mine.open(forged.toString())), 'state_mismatch');
    const ok = await mine.open(myBack.toString());
    assert.ok(ok.location?.startsWith(client.redirectUri), `status ${ok.status} ${codeOn(ok)}`);
  });

  it('refuses a malformed callback as a 4xx', async () => {
    const browser = new Browser(stack.issuer);
    const back = new URL(await capture(await toCapture(browser), 'match'));
    back.searchParams.set('result', 'approved');
    const page = await browser.open(back.toString());
    assert.equal(page.status, 400);
    assert.equal(codeOn(page), 'state_mismatch');
  });

  for (const mode of ['error', 'timeout', 'malformed'] as const) {
    it(`says "unavailable, try another" when session creation meets ${mode}`, async () => {
      const browser = new Browser(stack.issuer);
      const consent = await submitDetails(browser, await openFace(browser, client.clientId, client.redirectUri), who);
      await failNext('face', mode);
      try {
        const page = await submitConsent(browser, consent);
        assert.equal(page.status, 503);
        assert.match(page.text, /method_unavailable/);
      } finally {
        await reset();
      }
      // the consent still stands: the person can try again once the authority is back
      assert.ok(captureUrlOf(await submitConsent(browser, consent)));
    });
  }

  it('says "unavailable" when the compare fails, and the person can start a new capture', async () => {
    const browser = new Browser(stack.issuer);
    const back = await capture(await toCapture(browser), 'match');
    await failNext('face', 'error');
    try {
      const page = await browser.open(back);
      assert.equal(page.status, 503);
      assert.match(page.text, /method_unavailable/);
    } finally {
      await reset();
    }
    const { rows } = await stack.ctx.db.query<{ data: { authority: string; kind: string } }>(
      "SELECT data FROM audit_log WHERE type = 'authority.unavailable'",
    );
    assert.ok(rows.some((r) => r.data.authority === 'face' && r.data.kind === 'http'));
    const first = await openFace(browser, client.clientId, client.redirectUri);
    const consent = await submitDetails(browser, first, who);
    assert.ok(captureUrlOf(await submitConsent(browser, consent)));
  });
});
