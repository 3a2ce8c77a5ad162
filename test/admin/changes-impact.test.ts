// test-pass: embedded — classification and safety rules over documents, no store
/** Which policy changes wait for a second admin, which take effect at once, which are refused outright. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assessPolicyChange, changeLine } from '../../src/admin/changes/impact.ts';
import { unsafePolicyChange } from '../../src/admin/changes/policy-safety.ts';
import { mergePatch } from '../../src/admin/changes/policy-kinds.ts';

const base = {
  methods: {
    'sms-otp': { enabled: true, level: 1, length: 6, ttlSeconds: 300, maxAttempts: 5, resendSeconds: 60 },
    'gov-eid': { enabled: true, level: 3 },
    certificate: { enabled: true, level: 3 },
    face: { enabled: false, level: 2, threshold: 80 },
  },
  clients: {
    'tax-office': { minLevel: 2, allowedMethods: ['sms-otp', 'gov-eid'], maxAuthAge: 3600 },
  },
  global: {
    lifetimes: { sessionTtl: 28800 },
    rateLimits: { password: { failures: 5, windowSeconds: 900, backoffSeconds: 60, backoffMaxSeconds: 3600, escalate: true, onSuccess: 'clear' } },
    password: { minLength: 8, refused: ['12345678'] },
  },
};

const change = (patch: unknown) => assessPolicyChange(base, mergePatch(base, patch));

describe('policy change impact', () => {
  const needsApproval: Array<[string, unknown]> = [
    ['enabling a method', { methods: { face: { enabled: true } } }],
    ['lowering a method’s level', { methods: { 'gov-eid': { level: 2 } } }],
    ['lowering a department’s minimum level', { clients: { 'tax-office': { minLevel: 1 } } }],
    ['allowing a department another method', { clients: { 'tax-office': { allowedMethods: ['sms-otp', 'gov-eid', 'certificate'] } } }],
    ['allowing a department every method', { clients: { 'tax-office': { allowedMethods: null } } }],
    ['a department override added', { clients: { 'new-app': { minLevel: 1 } } }],
    ['more failures before a lockout', { global: { rateLimits: { password: { failures: 10 } } } }],
    ['a shorter lockout pause', { global: { rateLimits: { password: { backoffSeconds: 30 } } } }],
    ['a shorter counting window', { global: { rateLimits: { password: { windowSeconds: 60 } } } }],
    ['no escalation of pauses', { global: { rateLimits: { password: { escalate: false } } } }],
    ['a shorter OTP', { methods: { 'sms-otp': { length: 4 } } }],
    ['more OTP attempts', { methods: { 'sms-otp': { maxAttempts: 9 } } }],
    ['a longer OTP lifetime', { methods: { 'sms-otp': { ttlSeconds: 900 } } }],
    ['a lower face-match threshold', { methods: { face: { threshold: 60 } } }],
    ['a shorter minimum password', { global: { password: { minLength: 6 } } }],
    ['fewer refused passwords', { global: { password: { refused: [] } } }],
    ['a longer session', { global: { lifetimes: { sessionTtl: 86400 } } }],
    ['a field no rule knows', { methods: { 'sms-otp': { somethingNew: 1 } } }],
    ['a tightening and a loosening together', { methods: { 'gov-eid': { level: 2 }, 'sms-otp': { level: 2 } } }],
  ];
  for (const [what, patch] of needsApproval) {
    it(`needs a second admin for ${what}`, () => {
      const r = change(patch);
      assert.ok(r.changes.length > 0, 'something changed');
      assert.equal(r.needsApproval, true, r.changes.map(changeLine).join('\n'));
    });
  }

  const atOnce: Array<[string, unknown]> = [
    ['raising a method’s level', { methods: { 'sms-otp': { level: 2 } } }],
    ['disabling a method', { methods: { 'sms-otp': { enabled: false } } }],
    ['raising a department’s minimum level', { clients: { 'tax-office': { minLevel: 3 } } }],
    ['allowing a department fewer methods', { clients: { 'tax-office': { allowedMethods: ['gov-eid'] } } }],
    ['fewer failures before a lockout and longer pauses', { global: { rateLimits: { password: { failures: 3, backoffSeconds: 300 } } } }],
    ['a longer OTP with fewer attempts', { methods: { 'sms-otp': { length: 8, maxAttempts: 3, resendSeconds: 120 } } }],
    ['a higher face-match threshold', { methods: { face: { threshold: 90 } } }],
    ['more refused passwords and a longer minimum', { global: { password: { minLength: 12, refused: ['12345678', 'password1'] } } }],
    ['a new department override that only limits its methods', { clients: { 'new-app': { allowedMethods: ['gov-eid'] } } }],
    ['a shorter session and auth age', { global: { lifetimes: { sessionTtl: 3600 } }, clients: { 'tax-office': { maxAuthAge: 600 } } }],
  ];
  for (const [what, patch] of atOnce) {
    it(`takes effect at once: ${what}`, () => {
      const r = change(patch);
      assert.ok(r.changes.length > 0, 'something changed');
      assert.equal(r.needsApproval, false, r.changes.map(changeLine).join('\n'));
    });
  }

  it('describes each change as a readable line with its direction', () => {
    const r = change({ methods: { 'gov-eid': { level: 2 } } });
    assert.deepEqual(r.changes.map(changeLine), ['methods.gov-eid.level: 3 → 2 (loosens)']);
  });

  it('needs a second admin to remove a department’s override (its registration may be looser)', () => {
    const { clients: _dropped, ...rest } = base;
    const r = assessPolicyChange(base, { ...rest, clients: {} });
    assert.equal(r.needsApproval, true);
    assert.ok(r.changes.some((c) => c.path.join('.') === 'clients.tax-office.minLevel' && c.direction === 'loosens'));
  });

  it('finds nothing when nothing changes', () => {
    assert.deepEqual(change({ methods: { 'sms-otp': { level: 1 } } }).changes, []);
  });
});

describe('unsafe policy changes', () => {
  const unsafe = (patch: unknown) => unsafePolicyChange(base, mergePatch(base, patch));

  it('refuses leaving the consoles no enabled level-3 method', () => {
    assert.deepEqual(unsafe({ methods: { 'gov-eid': { enabled: false }, certificate: { enabled: false } } }), {
      code: 'change_unsafe_console_level3',
      params: { client: 'tongban-counter' },
    });
    assert.equal(unsafe({ methods: { 'gov-eid': { level: 2 }, certificate: { level: 2 } } })?.code, 'change_unsafe_console_level3');
    // the admin console limited to methods that cannot reach level 3
    assert.deepEqual(unsafe({ clients: { 'tongban-admin': { allowedMethods: ['sms-otp'] } } }), {
      code: 'change_unsafe_console_level3',
      params: { client: 'tongban-admin' },
    });
  });

  it('allows disabling one level-3 method while another remains', () => {
    assert.equal(unsafe({ methods: { 'gov-eid': { enabled: false } } }), null);
  });

  it('refuses disabling every method a department allows', () => {
    assert.deepEqual(unsafe({ methods: { 'sms-otp': { enabled: false } }, clients: { 'tax-office': { allowedMethods: ['sms-otp'] } } }), {
      code: 'change_unsafe_department_no_method',
      params: { client: 'tax-office' },
    });
    assert.equal(unsafe({ clients: { 'tax-office': { allowedMethods: ['face'] } } })?.code, 'change_unsafe_department_no_method');
  });

  it('does not hold an old shortfall against an unrelated change', () => {
    const broken = mergePatch(base, { clients: { 'old-app': { allowedMethods: ['face'] } } });
    assert.equal(unsafePolicyChange(broken, mergePatch(broken, { methods: { 'sms-otp': { level: 2 } } })), null);
  });
});
