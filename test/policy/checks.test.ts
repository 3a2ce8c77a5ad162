// test-pass: embedded — the policy table on plain data, no store
/** The policy table: every check answers yes and no, with its reason, from data alone. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHECKS,
  clientRuleOf,
  decide,
  offeredMethods,
  policyDataFrom,
  policyDataSchema,
  sessionSuffices,
  staticPolicy,
  type CheckName,
  type ClientRule,
  type PolicyData,
} from '../../src/policy/index.ts';

// method definitions as the registry hands them over (only the fields the policy reads)
const methods = [
  { id: 'id-card-password', level: 1, amr: ['pwd'], factors: { pwd: 'know' }, kiosk: true },
  { id: 'sms-otp', level: 1, amr: ['sms', 'otp'], factors: { sms: 'have', otp: 'have' }, kiosk: true },
  { id: 'gov-eid', level: 3, amr: ['hwk'], factors: { hwk: 'have' } },
  { id: 'wechat', level: 1, amr: ['swk'], factors: { swk: 'have' }, bindable: true },
  { id: 'face', level: 2, amr: ['face'], factors: { face: 'are' }, neverAlone: true },
  { id: 'app-scan', level: 2, amr: [], factors: {}, kiosk: true },
] as const;

const data: PolicyData = policyDataFrom(methods, { 'strict-app': { minLevel: 3, maxAuthAge: 600 } });
const open: ClientRule = clientRuleOf(data, { clientId: 'open-app' });
const narrow: ClientRule = clientRuleOf(data, { clientId: 'narrow-app', tongban_allowed_methods: ['sms-otp'], tongban_min_level: 2 });
const kiosk: ClientRule = clientRuleOf(data, { clientId: 'hall-kiosk', tongban_kiosk: true });

/** asserts the verdict and that its reason says something specific */
function expect(check: CheckName, facts: unknown, ok: boolean, reason: RegExp): void {
  const v = decide(check, data, facts as never);
  assert.equal(v.ok, ok, `${check}: ${v.reason}`);
  assert.match(v.reason, reason);
}

describe('policy table', () => {
  it('builds its data from method definitions and validates it', () => {
    assert.deepEqual(data.methods['face'], { level: 2, amr: ['face'], kiosk: false, neverAlone: true, bindable: false });
    assert.equal(data.methods['sms-otp']!.kiosk, true, 'a typed-in method works at a kiosk');
    assert.equal(data.methods['gov-eid']!.kiosk, false);
    assert.equal(data.methods['wechat']!.bindable, true);
    assert.equal(data.factors['pwd'], 'know');
    assert.equal(policyDataFrom([{ id: 'wallet', level: 1, amr: ['vault'], factors: { vault: 'have' } }]).factors['vault'], 'have', 'a new amr value brings its factor');
    assert.equal(policyDataSchema.safeParse({ ...data, methods: { x: { ...data.methods['face'], level: 4 } } }).success, false, 'a level outside 1–3 is refused');
    assert.throws(() => staticPolicy({ ...data, clients: { a: { minLevel: 0 } } } as never));
    assert.equal(staticPolicy(data).data().methods['gov-eid']!.level, 3);
  });

  it('reads a client rule from registration metadata, overridden by the data', () => {
    assert.deepEqual(open, { clientId: 'open-app', minLevel: 1, kiosk: false, firstParty: false, proxyAllowed: true, proxyLevel3: false });
    assert.deepEqual(narrow.allowedMethods, ['sms-otp']);
    assert.equal(narrow.minLevel, 2);
    const strict = clientRuleOf(data, { clientId: 'strict-app', tongban_min_level: 1 });
    assert.equal(strict.minLevel, 3, 'the data overrides the registration');
    assert.equal(strict.maxAuthAge, 600);
  });

  it('method-allowed-for-client', () => {
    expect('method-allowed-for-client', { method: 'gov-eid', client: open }, true, /accepts every enabled method/);
    expect('method-allowed-for-client', { method: 'sms-otp', client: narrow }, true, /narrow-app accepts sms-otp/);
    expect('method-allowed-for-client', { method: 'gov-eid', client: narrow }, false, /accepts only sms-otp/);
  });

  it('usable-at-kiosk', () => {
    expect('usable-at-kiosk', { method: 'gov-eid', atKiosk: false }, true, /not at a kiosk/);
    expect('usable-at-kiosk', { method: 'app-scan', atKiosk: true }, true, /works at a kiosk/);
    expect('usable-at-kiosk', { method: 'gov-eid', atKiosk: true }, false, /not offered at a kiosk/);
  });

  it('can-reach-required-level', () => {
    const all = Object.keys(data.methods);
    expect('can-reach-required-level', { method: 'gov-eid', required: 3, prior: null, companions: all }, true, /alone/);
    expect('can-reach-required-level', { method: 'id-card-password', required: 2, prior: null, companions: all }, true, /then sms-otp reach level 2/);
    expect('can-reach-required-level', { method: 'id-card-password', required: 2, prior: null, companions: ['id-card-password'] }, false, /no second method/);
    expect('can-reach-required-level', { method: 'sms-otp', required: 2, prior: { level: 1, amr: ['pwd'] }, companions: all }, true, /reaches level 2/);
    expect('can-reach-required-level', { method: 'id-card-password', required: 2, prior: { level: 1, amr: ['pwd'] }, companions: all }, false, /reaches only level 1 of 2/);
    expect('can-reach-required-level', { method: 'bank-card', required: 1, prior: null, companions: all }, false, /not an enabled method/);
  });

  it('never-offered-alone', () => {
    expect('never-offered-alone', { method: 'sms-otp', offered: ['sms-otp'] }, true, /may be offered alone/);
    expect('never-offered-alone', { method: 'face', offered: ['face', 'gov-eid'] }, true, /beside gov-eid/);
    expect('never-offered-alone', { method: 'face', offered: ['face'] }, false, /never a citizen's only way in/);
  });

  it('client-minimum-level', () => {
    expect('client-minimum-level', { level: 2, client: narrow }, true, /meets narrow-app's minimum 2/);
    expect('client-minimum-level', { level: 1, client: narrow }, false, /needs at least level 2, not 1/);
  });

  it('step-up', () => {
    expect('step-up', { level: 3, required: 2 }, true, /level 3 satisfies level 2/);
    expect('step-up', { level: 1, required: 2 }, false, /one more verification is needed/);
    expect('step-up', { level: 0, required: 1 }, false, /level 0 is below/);
  });

  it('max-authentication-age', () => {
    const strict = clientRuleOf(data, { clientId: 'strict-app' });
    expect('max-authentication-age', { authTime: 0, now: 10_000, client: open }, true, /sets no maximum/);
    expect('max-authentication-age', { authTime: 1000, now: 1600, client: strict }, true, /600 s ago, within 600 s/);
    expect('max-authentication-age', { authTime: 1000, now: 1601, client: strict }, false, /601 s ago, more than the 600 s/);
    expect('max-authentication-age', { authTime: undefined, now: 1601, client: strict }, false, /unknown/);
  });

  it('kiosk-client', () => {
    expect('kiosk-client', { client: kiosk }, true, /hall-kiosk is a hall kiosk/);
    expect('kiosk-client', { client: open }, false, /not a hall kiosk/);
  });

  it('method-bindable', () => {
    expect('method-bindable', { method: 'wechat' }, true, /bound from the account page/);
    expect('method-bindable', { method: 'sms-otp' }, false, /not bound/);
  });

  it('proxy-allowed-for-client, proxy-level and proxy-mandate-covers (family proxy)', () => {
    const refusing = clientRuleOf(data, { clientId: 'no-proxy', tongban_proxy_allowed: false });
    expect('proxy-allowed-for-client', { client: open }, true, /accepts sign-ins on a citizen's behalf/);
    expect('proxy-allowed-for-client', { client: refusing }, false, /refuses/);
    const level3 = clientRuleOf({ ...data, clients: { ...data.clients, 'l3-app': { proxyLevel3: true } } }, { clientId: 'l3-app' });
    expect('proxy-level', { required: 2, client: open }, true, /level-2 request/);
    expect('proxy-level', { required: 3, client: open }, false, /not made on a citizen's behalf/);
    expect('proxy-level', { required: 3, client: level3 }, true, /the policy allows/);
    const now = new Date('2026-06-01T00:00:00Z');
    const mandate = { clientIds: ['open-app'], scopes: ['profile'], validFrom: new Date('2026-01-01T00:00:00Z'), validUntil: new Date('2026-12-31T00:00:00Z'), acceptedAt: new Date('2026-01-02T00:00:00Z'), revokedAt: null };
    expect('proxy-mandate-covers', { clientId: 'open-app', scopes: ['openid', 'profile'], now, mandate }, true, /covers open-app/);
    expect('proxy-mandate-covers', { clientId: 'other-app', scopes: ['openid'], now, mandate }, false, /does not cover other-app/);
    expect('proxy-mandate-covers', { clientId: 'open-app', scopes: ['openid', 'phone'], now, mandate }, false, /does not cover phone/);
    expect('proxy-mandate-covers', { clientId: 'open-app', scopes: ['openid'], now: new Date('2027-01-01T00:00:00Z'), mandate }, false, /not in force/);
    expect('proxy-mandate-covers', { clientId: 'open-app', scopes: ['openid'], now, mandate: { ...mandate, acceptedAt: null } }, false, /not accepted/);
    expect('proxy-mandate-covers', { clientId: 'open-app', scopes: ['openid'], now, mandate: { ...mandate, revokedAt: now } }, false, /revoked/);
  });

  it('has a yes and a no proven above for every check in the table', () => {
    assert.deepEqual(Object.keys(CHECKS).sort(), [
      'can-reach-required-level',
      'client-minimum-level',
      'kiosk-client',
      'max-authentication-age',
      'method-allowed-for-client',
      'method-bindable',
      'never-offered-alone',
      'proxy-allowed-for-client',
      'proxy-level',
      'proxy-mandate-covers',
      'step-up',
      'usable-at-kiosk',
    ].sort());
  });
});

describe('policy decisions', () => {
  it('offers what the client allows and what can reach the level, in order', () => {
    assert.deepEqual(offeredMethods(data, { client: open, atKiosk: false, required: 1, prior: null }), ['id-card-password', 'sms-otp', 'gov-eid', 'wechat', 'face', 'app-scan']);
    assert.deepEqual(offeredMethods(data, { client: open, atKiosk: false, required: 2, prior: null }), ['id-card-password', 'sms-otp', 'gov-eid', 'wechat', 'face', 'app-scan']);
    // any method can be a first step when a level-3 method can follow it
    assert.deepEqual(offeredMethods(data, { client: open, atKiosk: false, required: 3, prior: null }), ['id-card-password', 'sms-otp', 'gov-eid', 'wechat', 'face', 'app-scan']);
    assert.deepEqual(offeredMethods(data, { client: narrow, atKiosk: false, required: 3, prior: null }), []);
    assert.deepEqual(offeredMethods(data, { client: open, atKiosk: false, required: 2, prior: { level: 1, amr: ['pwd'] } }), ['sms-otp', 'gov-eid', 'wechat', 'face', 'app-scan']);
    assert.deepEqual(offeredMethods(data, { client: kiosk, atKiosk: true, required: 1, prior: null }), ['id-card-password', 'sms-otp', 'app-scan']);
  });

  it('never offers face recognition alone', () => {
    const faceOnly = clientRuleOf(data, { clientId: 'f', tongban_allowed_methods: ['face'] });
    assert.deepEqual(offeredMethods(data, { client: faceOnly, atKiosk: false, required: 1, prior: null }), []);
    const faceAndSms = clientRuleOf(data, { clientId: 'f', tongban_allowed_methods: ['face', 'sms-otp'] });
    assert.deepEqual(offeredMethods(data, { client: faceAndSms, atKiosk: false, required: 1, prior: null }), ['sms-otp', 'face']);
  });

  it('follows a change of its data at the next decision', () => {
    assert.deepEqual(offeredMethods(data, { client: open, atKiosk: false, required: 2, prior: { level: 1, amr: [] } }), ['gov-eid', 'face', 'app-scan']);
    const raised: PolicyData = { ...data, methods: { ...data.methods, 'sms-otp': { ...data.methods['sms-otp']!, level: 2 } } };
    assert.deepEqual(offeredMethods(raised, { client: open, atKiosk: false, required: 2, prior: { level: 1, amr: [] } }), ['sms-otp', 'gov-eid', 'face', 'app-scan']);
    const noKioskSms: PolicyData = { ...data, methods: { ...data.methods, 'sms-otp': { ...data.methods['sms-otp']!, kiosk: false } } };
    assert.deepEqual(offeredMethods(noKioskSms, { client: kiosk, atKiosk: true, required: 1, prior: null }), ['id-card-password', 'app-scan']);
  });

  it('asks a session to verify again below the level asked, below the client minimum, or past its maximum age', () => {
    const base = { acr: 'urn:tongban:loa:2', authTime: 1000, now: 1100, params: {} };
    assert.equal(sessionSuffices(data, { ...base, client: open }).ok, true);
    assert.match(sessionSuffices(data, { ...base, client: open, params: { acr_values: 'urn:tongban:loa:3' } }).reason, /below the level 3 asked/);
    assert.match(sessionSuffices(data, { ...base, client: clientRuleOf(data, { clientId: 'x', tongban_min_level: 3 }) }).reason, /needs at least level 3/);
    const aged = clientRuleOf({ ...data, clients: { old: { maxAuthAge: 60 } } }, { clientId: 'old' });
    assert.match(sessionSuffices(data, { ...base, client: aged }).reason, /more than the 60 s/);
  });
});
