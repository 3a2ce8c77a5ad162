/** Face as policy: never the only offer, the threshold is configuration, and no image is ever kept. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../../support/stack.ts';
import { addClient, type TestClient } from '../../support/clients.ts';
import { authUrl, Browser } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { ConfigError } from '../../../src/errors.ts';
import { method } from '../../../providers/face/index.ts';
import { FACE_SAMPLES, matchScore } from '../../../providers/face/sandbox.ts';
import { codeOn, ensureEnrolled, faceSignIn, openFace } from './steps.ts';

const env = { authoritiesUrl: 'http://127.0.0.1:9', issuer: 'http://127.0.0.1:8', timeoutMs: 500, production: false };
const who = citizen('yang-lei');

describe('face configuration', () => {
  it('defaults to off until configured, level 2, threshold 80, credentials from the sandbox console', () => {
    const cfg = method.configSchema.parse({});
    assert.equal(cfg.enabled, false);
    assert.equal(cfg.level, 2);
    assert.equal(cfg.threshold, 80);
    assert.equal(cfg.enrol, false);
    assert.deepEqual(cfg.credentials, { sandboxConsole: true });
    const m = method.create(cfg, env);
    assert.equal(m.neverAlone, true);
    assert.deepEqual(m.amr, ['face']);
  });

  it('refuses the sandbox console in production, and accepts explicit credentials', () => {
    assert.throws(() => method.create(method.configSchema.parse({}), { ...env, production: true }), ConfigError);
    const cfg = method.configSchema.parse({ credentials: { appId: 'tongban-id', apiKey: 'k'.repeat(32) }, baseUrl: 'https://face.example.gov.cn' });
    assert.equal(method.create(cfg, { ...env, production: true }).id, 'face');
  });

  it('rejects settings that cannot work', () => {
    for (const bad of [{ threshold: 120 }, { credentials: { apiKey: 'short' } }, { credentials: { sandboxConsole: false } }, { baseUrl: 'ftp://x' }, { colour: 'blue' }]) {
      assert.equal(method.configSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});

describe('face policy', () => {
  let stack: Stack;
  let strict: Stack;
  let client: TestClient;
  let strictClient: TestClient;

  before(async () => {
    stack = await startStack();
    client = await addClient(stack, 'face-policy', { tongban_first_party: true });
    await ensureEnrolled(stack, 'yang-lei');
    strict = await startStack({ methodSettings: { 'id-card-password': {}, face: { threshold: 95 } } });
    strictClient = await addClient(strict, 'face-strict', { tongban_first_party: true });
    await ensureEnrolled(strict, 'yang-lei');
  });
  after(async () => {
    await client?.rp.close();
    await strictClient?.rp.close();
    await stack?.close();
    await strict?.close();
  });

  it('is never offered alone: a client allowing only face is offered nothing', async () => {
    const only = await addClient(stack, 'face-only', { tongban_first_party: true, tongban_allowed_methods: ['face'] });
    const both = await addClient(stack, 'face-and-password', { tongban_first_party: true, tongban_allowed_methods: ['face', 'id-card-password'] });
    try {
      const alone = await new Browser(stack.issuer).open(authUrl(only.clientId, only.redirectUri).url);
      assert.equal(alone.status, 200);
      assert.doesNotMatch(alone.text, /\/method\//, 'no method at all');
      const pair = await new Browser(stack.issuer).open(authUrl(both.clientId, both.redirectUri).url);
      assert.match(pair.text, /href="\/interaction\/[^"]+\/method\/face"/);
      assert.match(pair.text, /href="\/interaction\/[^"]+\/method\/id-card-password"/);
      // nor can it be reached directly
      const uid = alone.path.match(/\/interaction\/([^/?]+)/)![1];
      const direct = await new Browser(stack.issuer).open(`/interaction/${uid}/method/face`);
      assert.ok(direct.status >= 400, `status ${direct.status}`);
    } finally {
      await only.rp.close();
      await both.rp.close();
    }
  });

  it('takes the threshold from policy: at 95 a matching score below it is refused', async () => {
    const score = matchScore(who.idNumber);
    assert.ok(score >= 80 && score < 95, `score ${score}`);
    const ok = new Browser(stack.issuer);
    const passed = await faceSignIn(ok, await openFace(ok, client.clientId, client.redirectUri), who, 'match');
    assert.ok(passed.location?.startsWith(client.redirectUri), 'passes at the default 80');
    const browser = new Browser(strict.issuer);
    const page = await faceSignIn(browser, await openFace(browser, strictClient.clientId, strictClient.redirectUri), who, 'match');
    assert.equal(page.location, undefined);
    assert.equal(codeOn(page), 'face_no_match');
  });

  it('keeps no image, template or sample in the database or the audit log, and no ID number in the audit', async () => {
    for (const sample of ['mismatch', 'spoof', 'match'] as const) {
      const browser = new Browser(stack.issuer);
      await faceSignIn(browser, await openFace(browser, client.clientId, client.redirectUri), who, sample);
    }
    const dump: string[] = [];
    for (const table of ['persons', 'credentials', 'consents', 'audit_log']) {
      const { rows } = await stack.ctx.db.query(`SELECT * FROM ${table}`);
      dump.push(JSON.stringify(rows));
    }
    const all = dump.join('\n');
    for (const s of Object.values(FACE_SAMPLES)) {
      assert.ok(!all.includes(s.id), `no ${s.id}`);
      assert.ok(!all.includes(s.image.slice(0, 40)), 'no image bytes');
    }
    assert.doesNotMatch(all, /data:image|base64|"(sample|template|image)"/);
    assert.ok(!all.includes(who.idNumber), 'no ID number in clear');
    const { rows } = await stack.ctx.db.query<{ data: { reason?: string } }>("SELECT data FROM audit_log WHERE type = 'login.failed'");
    const reasons = rows.map((r) => r.data.reason);
    assert.ok(reasons.includes('face_no_match') && reasons.includes('face_liveness_failed'), reasons.join(','));
  });

  it('the face authority refuses a caller without its API key', async () => {
    const res = await fetch(`${stack.sandboxUrl}/face/v1/liveness/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-key' },
      body: JSON.stringify({ appId: 'tongban-id', bizNo: '0'.repeat(32), returnUrl: `${stack.issuer}/x` }),
    });
    assert.equal(res.status, 401);
  });
});
