// test-pass: embedded — configuration only, no store
/** Configuration: trust anchors from config in production, the sandbox console only in development. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { method } from '../../../providers/certificate/index.ts';
import { trustedCaPem } from '../../../providers/certificate/sandbox.ts';
import { ConfigError } from '../../../src/errors.ts';
import type { MethodEnv } from '../../../providers/kit/index.ts';

const env = (production: boolean): MethodEnv => ({ authoritiesUrl: 'http://127.0.0.1:1', issuer: 'https://id.example', timeoutMs: 500, production });

describe('certificate configuration', () => {
  it('defaults to off until configured, level 3, enrolment, and the sandbox console', () => {
    const cfg = method.configSchema.parse({});
    assert.equal(cfg.enabled, false);
    assert.equal(cfg.level, 3);
    assert.equal(cfg.enrol, true);
    assert.equal(cfg.sandboxConsole, true);
    assert.equal(cfg.nonceTtlSeconds, 300);
    const m = method.create(cfg, env(false));
    assert.deepEqual(m.amr, ['hwk', 'sc']);
    assert.equal(m.group, 'cards');
  });

  it('refuses the sandbox console in production', () => {
    assert.throws(() => method.create(method.configSchema.parse({ signerUrl: 'ukey-signer://sign' }), env(true)), ConfigError);
  });

  it('takes explicit trusted CAs in production, and then needs the signing software’s address', async () => {
    const trustedCas = [{ id: 'city-ca', certificate: await trustedCaPem(), crlUrl: 'https://crl.city-ca.example/city-ca.crl' }];
    const cfg = method.configSchema.parse({ trustedCas, signerUrl: 'ukey-signer://sign' });
    assert.equal(cfg.sandboxConsole, false);
    assert.equal(method.create(cfg, env(true)).level, 3);
    assert.throws(() => method.create(method.configSchema.parse({ trustedCas }), env(true)), ConfigError);
  });

  it('rejects contradictory or broken settings', async () => {
    const pem = await trustedCaPem();
    const trustedCas = [{ id: 'city-ca', certificate: pem, crlUrl: 'https://crl.example/ca.crl' }];
    assert.equal(method.configSchema.safeParse({ sandboxConsole: false }).success, false, 'no trust anchors at all');
    assert.equal(method.configSchema.safeParse({ sandboxConsole: true, trustedCas }).success, false, 'both');
    assert.equal(method.configSchema.safeParse({ trustedCas: [{ ...trustedCas[0], crlUrl: 'ftp://x/y.crl' }] }).success, false);
    assert.equal(method.configSchema.safeParse({ level: 4 }).success, false);
    assert.equal(method.configSchema.safeParse({ surprise: true }).success, false);
    const broken = pem.replace(/(-----BEGIN CERTIFICATE-----\s*)[A-Za-z0-9+/]{8}/, '$1AAAAAAAA');
    const cfg = method.configSchema.parse({ trustedCas: [{ ...trustedCas[0], certificate: broken }], signerUrl: 'ukey-signer://sign' });
    assert.throws(() => method.create(cfg, env(true)), ConfigError);
  });
});
