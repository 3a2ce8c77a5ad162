// test-pass: embedded — pure crypto, no store
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { cookieSigner } from '../../src/crypto/cookie-signer.ts';

// what Keygrip (the `cookies` package's default) writes: HMAC-SHA1, base64 made URL-safe, no padding
const keygripSign = (key: string, data: string) =>
  createHmac('sha1', key).update(data).digest('base64').replace(/\//g, '_').replace(/\+/g, '-').replace(/=/g, '');

describe('cookie signer', () => {
  const data = '_session=Zq3vX2k9Yw8sT1uR4pL0mN7bC5dE6fG';

  it('signs as Keygrip did, with the first key, so cookies signed before still verify', () => {
    const s = cookieSigner(['new-key', 'old-key']);
    assert.equal(s.sign(data), keygripSign('new-key', data));
  });

  it('accepts a signature of any key (rotation) and says which', () => {
    const s = cookieSigner(['new-key', 'old-key']);
    assert.equal(s.index(data, keygripSign('new-key', data)), 0);
    assert.equal(s.index(data, keygripSign('old-key', data)), 1);
    assert.equal(s.verify(data, keygripSign('old-key', data)), true);
  });

  it('refuses a signature of another key, of other data, altered, empty or not a string', () => {
    const s = cookieSigner(['new-key', 'old-key']);
    const good = keygripSign('new-key', data);
    assert.equal(s.index(data, keygripSign('retired-key', data)), -1);
    assert.equal(s.index(`${data}x`, good), -1);
    assert.equal(s.index(data, `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`), -1);
    assert.equal(s.index(data, ''), -1);
    assert.equal(s.verify(data, undefined as unknown as string), false);
  });

  it('needs a key', () => {
    assert.throws(() => cookieSigner([]));
  });
});
