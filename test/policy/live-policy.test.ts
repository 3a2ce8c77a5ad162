/**
 * Stored policies: the document's schema refuses bad values with messages naming the field;
 * the diff's readable lines; version 1 is seeded once when several instances start at once;
 * saving checks the document, numbers versions, records who, why and the diff (with an audit
 * row in the same transaction), and refuses an edit made on a version that is no longer the newest.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../src/errors.ts';
import { REPO_ROOT } from '../../src/config/env.ts';
import { createAuditLog } from '../../src/audit/index.ts';
import { createMemoryStore, createPgDatabase, createPgliteDatabase, runMigrations, type Database } from '../../src/store/index.ts';
import { createMethods, DEFINITIONS, methodRoles } from '../../providers/registry.ts';
import { createLivePolicy, diffDocuments, policyBuilder, policyDocumentSchemaFor, seedDocument, type LivePolicy, type PolicyDocument } from '../../src/policy/index.ts';
import { pgliteImage } from '../support/pglite-image.ts';

const schema = policyDocumentSchemaFor(DEFINITIONS);
const env = { authoritiesUrl: 'http://127.0.0.1:9', issuer: 'http://127.0.0.1:1', timeoutMs: 500, production: false };

async function configured(): Promise<PolicyDocument> {
  const methodSettings = JSON.parse(await readFile(path.join(REPO_ROOT, 'config', 'methods.json'), 'utf8'));
  return seedDocument({ definitions: DEFINITIONS, passwordMethod: methodRoles().password, schema, methodSettings, env });
}

/** the problems a refused document is answered with */
function refusal(policy: LivePolicy, doc: unknown): string {
  try {
    policy.check(doc);
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, 'policy_invalid');
    assert.equal(err.status, 400);
    return err.message_('en');
  }
  throw new Error('the document was accepted');
}

const live = (d: Database, doc: () => PolicyDocument) =>
  createLivePolicy({
    db: d,
    store: createMemoryStore(),
    audit: createAuditLog(d),
    schema,
    seed: doc,
    build: policyBuilder({ settings: {}, env, definitions: DEFINITIONS, createMethods }),
  });

describe('policy documents', () => {
  let seed: PolicyDocument;
  let db: Database;
  let policy: Awaited<ReturnType<typeof live>>;
  const dropSchema: string[] = [];

  /** a database of its own: a fresh schema on PostgreSQL, a fresh embedded one otherwise */
  async function newDatabase(name = `policy_${randomBytes(4).toString('hex')}`): Promise<Database> {
    if (!process.env.DATABASE_URL) return createPgliteDatabase({ image: await pgliteImage('migrated') });
    dropSchema.push(name);
    const d = await createPgDatabase({ url: process.env.DATABASE_URL, schema: name, max: 2 });
    await runMigrations(d);
    return d;
  }
  before(async () => {
    seed = await configured();
    db = await newDatabase();
    policy = await live(db, () => seed);
  });
  after(async () => {
    await policy?.close();
    await db?.close();
    if (process.env.DATABASE_URL) {
      const admin = await createPgDatabase({ url: process.env.DATABASE_URL, max: 1 });
      for (const s of dropSchema) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      await admin.close();
    }
  });

  it('is seeded from config/: every method with its level, its policy settings and no credentials', () => {
    assert.equal(policy.current().version, 1);
    const doc = policy.current().document;
    assert.equal(doc.methods['gov-eid']?.level, 3);
    assert.equal(doc.methods['face']?.threshold, 80);
    assert.deepEqual(doc.methods['sms-otp']?.otp, { length: 6, ttlSeconds: 300, maxAttempts: 5, resendSeconds: 60 });
    assert.equal(doc.methods['id-card-password']?.kiosk, true);
    assert.equal(doc.global.password.minLength, 8);
    assert.equal(doc.global.rateLimits.pair?.failures, 5);
    assert.equal(doc.global.lifetimes.sessionTtl, 8 * 3600);
    assert.doesNotMatch(JSON.stringify(doc), /credentials|sandboxConsole|Url"/);
    assert.deepEqual([...policy.built().methods.keys()].sort(), Object.keys(doc.methods).filter((id) => doc.methods[id]!.enabled).sort());
  });

  it('refuses bad values with a message naming the field', () => {
    const bad = (change: (d: PolicyDocument) => void) => {
      const d = structuredClone(seed);
      change(d);
      return refusal(policy, d);
    };
    assert.match(bad((d) => (d.methods['sms-otp']!.otp = { length: 4, ttlSeconds: 300, maxAttempts: 5, resendSeconds: 60 })), /methods\.sms-otp\.otp\.length/);
    assert.match(bad((d) => (d.methods['face']!.threshold = 20)), /methods\.face\.threshold/);
    assert.match(bad((d) => ((d.methods['gov-eid'] as Record<string, unknown>).level = 4)), /methods\.gov-eid\.level/);
    assert.match(bad((d) => ((d.methods['bank-card'] as Record<string, unknown>).credentials = { merchantId: 'm', apiKey: 'k'.repeat(20) })), /methods\.bank-card\.credentials: is deployment configuration/);
    assert.match(bad((d) => (d.methods['no-such-method'] = { enabled: true, level: 1 })), /methods\.no-such-method: unknown method/);
    assert.match(bad((d) => (d.clients['tax-portal'] = { allowedMethods: ['carrier-pigeon'] })), /clients\.tax-portal\.allowedMethods\.0: unknown method "carrier-pigeon"/);
    assert.match(bad((d) => ((d.clients['tax-portal'] as Record<string, unknown>) = { minLevel: 1, color: 'red' })), /clients\.tax-portal/);
    assert.match(bad((d) => (d.global.lifetimes.sessionTtl = 0)), /global\.lifetimes\.sessionTtl/);
    assert.match(bad((d) => (d.global.rateLimits.pair!.backoffMaxSeconds = 1)), /global\.rateLimits\.pair\.backoffMaxSeconds: backoffMaxSeconds must be at least backoffSeconds/);
    assert.match(bad((d) => (d.global.password.minLength = 6)), /global\.password\.minLength/);
    assert.match(bad((d) => ((d.methods['id-card-password'] as Record<string, unknown>).password = { minLength: 12, refused: [] })), /set for every method in global\.password/);
    // the zh-CN message is a whole sentence too
    try {
      policy.check({ methods: {} });
    } catch (err) {
      assert.match((err as AppError).message_('zh-CN'), /^策略文档有误，未保存：/);
    }
  });

  it('says what changed, one readable line per value', () => {
    const d = structuredClone(seed);
    d.methods['sms-otp']!.level = 2;
    d.methods['wechat']!.enabled = false;
    d.clients['tax-portal'] = { minLevel: 2 };
    d.global.password.refused = ['password1', 'qwerty123'];
    assert.deepEqual(diffDocuments(seed, d), [
      'methods.sms-otp.level: 1 → 2',
      'methods.wechat.enabled: true → false',
      'clients.tax-portal: — → {"minLevel":2}',
      'global.password.refused: [] → ["password1","qwerty123"]',
    ]);
    const many = structuredClone(d);
    many.global.password.refused = Array.from({ length: 20 }, (_, i) => `common${i}pass`);
    assert.deepEqual(diffDocuments(d, many), ['global.password.refused: + 20 entries; − password1, qwerty123 (20 in all)']);
    assert.deepEqual(diffDocuments(seed, structuredClone(seed)), []);
  });

  it('saves versions with who, why and the diff, audited in the same transaction', async () => {
    const audit = createAuditLog(db);
    const d = structuredClone(policy.current().document);
    d.methods['sms-otp']!.level = 2;
    const v = await audit.transaction((tx) => policy.save(tx, d, { actorId: 'person:alice', roles: ['policy_admin'], reason: 'raise texts', basedOn: 1 }));
    await policy.announce();
    assert.equal(v, 2);
    assert.equal(policy.current().version, 2);
    assert.equal(policy.built().data.methods['sms-otp']?.level, 2, 'the policy table follows');
    const [latest] = await policy.versions(1);
    assert.equal(latest?.actorId, 'person:alice');
    assert.equal(latest?.reason, 'raise texts');
    assert.deepEqual(latest?.diff, ['methods.sms-otp.level: 1 → 2']);
    assert.deepEqual(await policy.version(1), seed);
    assert.equal(await policy.version(99), null);
    const { rows } = await db.query<{ data: Record<string, unknown> }>("SELECT data FROM audit_log WHERE type = 'policy.changed'");
    assert.deepEqual(rows.map((r) => [r.data.version, r.data.actorId, r.data.reason, r.data.diff]), [[2, 'person:alice', 'raise texts', ['methods.sms-otp.level: 1 → 2']]]);
  });

  it('carries kiosk availability and department rules into the policy table, and rebuilds only the methods that changed', async () => {
    const audit = createAuditLog(db);
    const eid = policy.built().methods.get('gov-eid');
    const sms = policy.built().methods.get('sms-otp');
    const d = structuredClone(policy.current().document);
    d.methods['id-card-password']!.kiosk = false;
    d.methods['sms-otp']!.otp = { length: 8, ttlSeconds: 300, maxAttempts: 5, resendSeconds: 60 };
    d.clients['tax-portal'] = { minLevel: 2, allowedMethods: ['id-card-password', 'gov-eid'], maxAuthAge: 600 };
    await audit.transaction((tx) => policy.save(tx, d, { actorId: 'person:alice', reason: 'kiosk and tax' }));
    await policy.announce();
    const data = policy.data();
    assert.equal(data.methods['id-card-password']?.kiosk, false);
    assert.equal(data.methods['sms-otp']?.kiosk, true, "a method's own kiosk flag stays where the document keeps it");
    assert.deepEqual(data.clients['tax-portal'], { minLevel: 2, allowedMethods: ['id-card-password', 'gov-eid'], maxAuthAge: 600 });
    assert.equal(policy.built().methods.get('gov-eid'), eid, 'an unchanged method is the same object (its connector keeps what it fetched)');
    assert.notEqual(policy.built().methods.get('sms-otp'), sms, 'a method whose settings changed is built anew');
  });

  it('refuses an edit made on a version that is no longer the newest, and writes nothing', async () => {
    const audit = createAuditLog(db);
    const d = structuredClone(policy.current().document);
    d.methods['wechat']!.enabled = false;
    await assert.rejects(
      audit.transaction((tx) => policy.save(tx, d, { actorId: 'person:bob', reason: 'stale', basedOn: 1 })),
      (err: unknown) => err instanceof AppError && err.code === 'policy_version_conflict' && err.status === 409,
    );
    assert.equal((await policy.versions(10)).length, 3);
  });

  it('refuses a save outside an audited transaction', async () => {
    await assert.rejects(policy.save(db, seed, { actorId: 'person:eve', reason: 'no audit' }), /audited transaction/);
  });

  it('seeds version 1 once when several instances start at the same time', { skip: process.env.DATABASE_URL ? false : 'concurrent starts need PostgreSQL (the embedded database is one process)' }, async () => {
    const name = `policy_seed_${randomBytes(4).toString('hex')}`;
    const first = await newDatabase(name);
    const others = await Promise.all([1, 2, 3, 4].map(() => createPgDatabase({ url: process.env.DATABASE_URL!, schema: name, max: 2 })));
    const all = [first, ...others];
    try {
      const started = await Promise.all(all.map((d, i) => live(d, () => ({ ...seed, clients: { [`seeded-by-${i}`]: {} } }))));
      const { rows } = await first.query<{ n: string }>('SELECT count(*) AS n FROM policy_versions');
      assert.equal(Number(rows[0]!.n), 1);
      const seeded = await first.query<{ n: string }>("SELECT count(*) AS n FROM audit_log WHERE type = 'policy.seeded'");
      assert.equal(Number(seeded.rows[0]!.n), 1, 'one audit row for the one seeding');
      // every instance took the one stored version, whichever wrote it
      const clients = new Set(started.map((p) => Object.keys(p.current().document.clients)[0]));
      assert.equal(clients.size, 1);
      for (const p of started) await p.close();
    } finally {
      for (const d of all) await d.close();
    }
  });
});
