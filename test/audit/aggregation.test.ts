/**
 * The audit trail stays readable: refused attempts are one count per (method, scope, source)
 * per window, not a row each, and the count is never dropped silently.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../support/stack.ts';
import { startInstances, sharedBackends } from '../support/instances.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { enrolCitizen } from '../support/login.ts';
import { refuseAuditEvents } from './refuse-events.ts';

type Row = {
  data: { method: string; scope: string; identifierIndex?: string; count: number; final: boolean; windowStart: string; windowSeconds: number };
  source: string;
};

async function rateLimitedRows(stack: Stack): Promise<Row[]> {
  const { rows } = await stack.ctx.db.query<Row>("SELECT data, source FROM audit_log WHERE type = 'login.rate_limited' ORDER BY seq");
  return rows;
}

describe('refused attempts in the audit trail', () => {
  let stack: Stack;
  let client: TestClient;

  before(async () => {
    stack = await startStack({ weakArgon2: true });
    client = await addClient(stack, 'tally-rp', { tongban_first_party: true });
  });
  after(async () => {
    await client?.rp.close();
    await stack?.close();
  });

  it('writes one row when 50 simultaneous password guesses are refused, and the total when the window ends', async () => {
    const who = await enrolCitizen(stack, 'zhang-wei', 'Right2026pass');
    // 50 sign-in pages, each its own interaction, all from this one address
    const forms = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const browser = new Browser(stack.issuer);
        const chooser = await browser.open(authUrl(client.clientId, client.redirectUri).url);
        const form = await browser.open(chooser.text.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/)![1]!);
        return { browser, html: form.text };
      }),
    );
    const results = await Promise.all(
      forms.map(({ browser, html }) => browser.submit(html, /method\/id-card-password/, { id_number: who.idNumber, password: 'Wrong2026pass' })),
    );
    const refused = results.filter((r) => r.status === 429).length;
    assert.ok(refused >= 40, `most of the burst is refused (${refused} of 50)`);
    assert.equal(results.filter((r) => r.status >= 500).length, 0);

    // the refusals name whose password was guessed as the credential's own blind index, never the ID number
    const { rows: cred } = await stack.ctx.db.query<{ identifier_index: string }>(
      "SELECT identifier_index FROM credentials WHERE method = 'id-card-password' AND person_id = $1",
      [await stack.ctx.identity.findPersonIdByIdNumber(who.idNumber)],
    );
    const open = await rateLimitedRows(stack);
    // one row for the whole burst, not one per refusal (two if it straddled a window boundary)
    assert.ok(open.length >= 1 && open.length <= 2, `${open.length} rows`);
    assert.equal(new Set(open.map((r) => r.data.windowStart)).size, open.length, 'one opening row per window');
    for (const r of open) {
      assert.deepEqual({ ...r.data, windowStart: undefined }, {
        method: 'id-card-password',
        scope: 'login',
        identifierIndex: cred[0]!.identifier_index,
        count: 1,
        final: false,
        windowStart: undefined,
        windowSeconds: 600,
      });
      assert.equal(r.source, '127.0.0.1');
    }

    // the windows end: one closing row each, with the window's total
    const later = Math.max(...open.map((r) => Date.parse(r.data.windowStart))) + 600_000;
    assert.equal(await stack.ctx.refusals.closeEnded(later), open.length);
    assert.equal(await stack.ctx.refusals.closeEnded(later), 0, 'a window closes once');
    const closing = (await rateLimitedRows(stack)).filter((r) => r.data.final);
    assert.equal(closing.length, open.length);
    assert.deepEqual(closing.map((r) => r.data.windowStart).sort(), open.map((r) => r.data.windowStart).sort());
    assert.equal(
      closing.reduce((n, r) => n + r.data.count, 0),
      refused,
      'the counts add up to every refusal',
    );
    assert.equal((await stack.ctx.audit.verifyChain()).ok, true);
  });

  it('keeps the count when the closing row cannot be written, and writes it on the next run', async () => {
    const refusal = await refuseAuditEvents(stack.ctx.db);
    const base = { type: 'login.rate_limited' as const, method: 'sms-otp', scope: 'login', source: '198.51.100.9' };
    await Promise.all(Array.from({ length: 20 }, () => stack.ctx.refusals.note(base)));
    const now = Date.now();
    await refusal.refuse('login.rate_limited');
    await assert.rejects(stack.ctx.refusals.closeEnded(now + 600_000), /refused/);
    await refusal.allowAll();
    assert.equal(await stack.ctx.refusals.closeEnded(now + 600_000), 1);
    const rows = (await rateLimitedRows(stack)).filter((r) => r.source === '198.51.100.9');
    assert.deepEqual(
      rows.map((r) => [r.data.count, r.data.final]),
      [
        [1, false],
        [20, true],
      ],
    );
  });
});

describe('refused attempts across two instances', () => {
  it('count together and close once', { skip: sharedBackends }, async () => {
    const inst = await startInstances(2);
    try {
      const [a, b] = inst.stacks.map((s) => s.ctx);
      const base = { type: 'login.rate_limited' as const, method: 'bank-card', scope: 'login', source: '203.0.113.50' };
      await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a! : b!).refusals.note(base)));
      const later = Date.now() + 600_000;
      const closed = await Promise.all([a!.refusals.closeEnded(later), b!.refusals.closeEnded(later)]);
      assert.equal(closed[0]! + closed[1]!, 1, 'one instance closes the window');
      const { rows } = await a!.db.query<{ data: { count: number; final: boolean } }>(
        "SELECT data FROM audit_log WHERE type = 'login.rate_limited' AND source = '203.0.113.50' ORDER BY seq",
      );
      assert.deepEqual(
        rows.map((r) => [r.data.count, r.data.final]),
        [
          [1, false],
          [50, true],
        ],
      );
      assert.equal((await a!.audit.verifyChain()).ok, true);
    } finally {
      await inst.close();
    }
  });
});
