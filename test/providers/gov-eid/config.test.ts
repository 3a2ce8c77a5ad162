// test-pass: embedded — settings over an in-process store it makes itself
/** gov-eid settings: sandbox console only outside production; explicit credentials checked at start-up and usable. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../../../providers/sandboxes.ts';
import { createMemoryStore } from '../../../src/store/memory-store.ts';
import { methodContext } from '../../../src/interaction/method-context.ts';
import { createRateLimiter } from '../../../src/policy/rate-limit.ts';
import { ConfigError } from '../../../src/errors.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import type { Authorities, MethodEnv } from '../../../providers/kit/index.ts';
import { method } from '../../../providers/gov-eid/index.ts';
import { confirmInApp } from './driver.ts';

const env = (over: Partial<MethodEnv> = {}): MethodEnv => ({
  authoritiesUrl: 'http://127.0.0.1:9',
  issuer: 'https://id.example.gov.cn',
  timeoutMs: 800,
  production: false,
  ...over,
});
const parse = (raw: unknown) => method.configSchema.parse(raw);

describe('gov-eid configuration', () => {
  let sandbox: RunningSandbox;
  let credentials: Record<string, unknown>;

  before(async () => {
    sandbox = await startSandbox({ port: 0 });
    credentials = (await (await fetch(`${sandbox.url}/eid/console/credentials`)).json()) as Record<string, unknown>;
  });
  after(async () => {
    await sandbox?.close();
  });

  it('is off until configured, at level 3 with the sandbox console by default', () => {
    const cfg = parse({});
    assert.equal(cfg.enabled, false);
    assert.equal(cfg.level, 3);
    assert.deepEqual(cfg.credentials, { sandboxConsole: true });
    const m = method.create(cfg, env());
    assert.equal(m.group, 'cards');
    assert.deepEqual(m.amr, ['hwk']);
  });

  it('refuses to start in production with the sandbox console', () => {
    assert.throws(() => method.create(parse({}), env({ production: true })), ConfigError);
    assert.throws(() => method.create(parse({ credentials: { sandboxConsole: true } }), env({ production: true })), ConfigError);
  });

  it('rejects incomplete credentials and keys that are not keys', () => {
    assert.equal(method.configSchema.safeParse({ credentials: { appId: 'x' } }).success, false);
    const jwks = credentials.platformJwks as { keys: Array<Record<string, string>> };
    const broken = { ...credentials, platformJwks: { keys: [{ ...jwks.keys[0], x: 'A'.repeat(43) }] } };
    assert.throws(() => method.create(parse({ credentials: broken }), env({ production: true })), ConfigError);
  });

  it('signs in with explicit credentials given in the settings', async () => {
    const cfg = parse({ credentials, platformUrl: `${sandbox.url}/eid` });
    const m = method.create(cfg, env({ authoritiesUrl: 'http://127.0.0.1:9' }));
    const store = createMemoryStore();
    const ctx = methodContext(
      {
        issuer: 'https://id.example.gov.cn',
        store,
        credentials: { find: async () => null, personExists: async () => false },
        secrets: { hash: async () => 'x', verify: async () => false },
        limits: createRateLimiter(store, (scope, id) => `${scope}:${id}`),
        authorities: {} as Authorities,
        codeKey: randomBytes(32),
      },
      { interactionId: 'i-1', methodId: 'gov-eid', flow: 'login', sourceIp: '127.0.0.1', lang: 'en' },
    );
    const qr = await m.flows.login.start(ctx);
    assert.equal(qr.kind, 'qr');
    if (qr.kind !== 'qr') return;
    assert.equal((await confirmInApp(qr.payload, 'sun-guilan', 'face')).status, 200);
    const r = await m.flows.login.verify(ctx, { step: 'poll' });
    assert.equal(r.status, 'verified');
    if (r.status !== 'verified') return;
    assert.deepEqual(r.claim, { kind: 'id_number', idNumber: citizen('sun-guilan').idNumber });
    assert.deepEqual(r.amr, ['hwk', 'face']);
    assert.equal(r.level, 3);
    assert.equal(r.enrol?.name, citizen('sun-guilan').name);
    assert.equal(r.enrol?.proofing, 'remote');
    assert.ok(!JSON.stringify(r.evidence).includes(citizen('sun-guilan').idNumber));
    // the challenge is spent
    assert.deepEqual(await m.flows.login.verify(ctx, { step: 'poll' }), { status: 'failed', reason: 'challenge_expired' });
  });
});
