// test-pass: embedded — pure crypto, no store
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateClientSecret, hashClientSecret, verifyClientSecret } from '../../src/crypto/client-secret.ts';

const key = randomBytes(32);

describe('client secrets', () => {
  it('generates 32 random bytes as base64url', () => {
    const s = generateClientSecret();
    assert.match(s, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(s, 'base64url').length, 32);
    assert.notEqual(s, generateClientSecret());
  });

  it('hashes to hmac-sha256$<base64url> without containing the secret', () => {
    const s = generateClientSecret();
    const h = hashClientSecret(s, key);
    assert.match(h, /^hmac-sha256\$[A-Za-z0-9_-]{43}$/);
    assert.ok(!h.includes(s));
    assert.equal(h, hashClientSecret(s, key));
    assert.notEqual(h, hashClientSecret(s, randomBytes(32)));
  });

  it('verifies the right secret and rejects a wrong one', () => {
    const s = generateClientSecret();
    const h = hashClientSecret(s, key);
    assert.equal(verifyClientSecret(h, s, key), true);
    assert.equal(verifyClientSecret(h, generateClientSecret(), key), false);
    assert.equal(verifyClientSecret(h, s.slice(0, -1), key), false);
    assert.equal(verifyClientSecret(h, '', key), false);
    assert.equal(verifyClientSecret(h, s, randomBytes(32)), false);
  });

  it('returns false for anything malformed', () => {
    const s = generateClientSecret();
    const h = hashClientSecret(s, key);
    for (const stored of ['', 'hmac-sha256$', 'hmac-sha256$short', h.replace('hmac-sha256', 'sha256'), `${h}x`, s]) {
      assert.equal(verifyClientSecret(stored, s, key), false, stored);
    }
    assert.equal(verifyClientSecret(undefined as unknown as string, s, key), false);
    assert.equal(verifyClientSecret(h, s, randomBytes(16)), false);
  });

  it('refuses to hash a short secret or use a wrong-size key', () => {
    assert.throws(() => hashClientSecret('too-short-secret', key), /at least 32 characters/);
    assert.throws(() => hashClientSecret(generateClientSecret(), randomBytes(16)), /32 bytes/);
  });
});
