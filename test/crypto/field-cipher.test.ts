// test-pass: embedded — pure crypto, no store
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createFieldCipher } from '../../src/crypto/field-cipher.ts';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const indexKey = randomBytes(32);

describe('field cipher', () => {
  const cipher = createFieldCipher({ dataKeys: [k1], activeDataKeyId: 'k1', indexKey });

  it('round-trips a value and prefixes the key id', () => {
    const enc = cipher.encrypt('张三', 'persons.name');
    assert.match(enc, /^k1\.[A-Za-z0-9_-]+$/);
    assert.ok(!enc.includes('张三'));
    assert.equal(cipher.decrypt(enc, 'persons.name'), '张三');
  });

  it('uses a fresh IV each time', () => {
    assert.notEqual(cipher.encrypt('same', 'c'), cipher.encrypt('same', 'c'));
  });

  it('detects tampering with the ciphertext', () => {
    const enc = cipher.encrypt('13800138000', 'persons.phone');
    const [id, body] = enc.split('.') as [string, string];
    const raw = Buffer.from(body, 'base64url');
    raw[14] = raw[14]! ^ 0x01;
    assert.throws(() => cipher.decrypt(`${id}.${raw.toString('base64url')}`, 'persons.phone'));
    assert.throws(() => cipher.decrypt(`${id}.${body.slice(0, 10)}`, 'persons.phone'));
    assert.throws(() => cipher.decrypt('no-dot-here', 'persons.phone'));
  });

  it('refuses a value moved to another column (context is authenticated)', () => {
    const enc = cipher.encrypt('110101199003071234', 'persons.id_number');
    assert.throws(() => cipher.decrypt(enc, 'persons.name'));
  });

  it('still decrypts values under an old key after the active key changes', () => {
    const old = cipher.encrypt('李四', 'persons.name');
    const rotated = createFieldCipher({ dataKeys: [k2, k1], activeDataKeyId: 'k2', indexKey });
    const fresh = rotated.encrypt('王五', 'persons.name');
    assert.match(fresh, /^k2\./);
    assert.equal(rotated.decrypt(old, 'persons.name'), '李四');
    assert.equal(rotated.decrypt(fresh, 'persons.name'), '王五');
    // A cipher without k2 cannot read the new value.
    assert.throws(() => cipher.decrypt(fresh, 'persons.name'), /unknown data key/);
  });

  it('gives a stable, domain-separated blind index', () => {
    const a = cipher.blindIndex('id_number', '110101199003071234');
    assert.equal(a, cipher.blindIndex('id_number', '110101199003071234'));
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, cipher.blindIndex('cred:sms-otp', '110101199003071234'));
    assert.notEqual(a, cipher.blindIndex('id_number', '110101199003071235'));
    // Domain and value cannot be shifted into each other.
    assert.notEqual(cipher.blindIndex('ab', 'c'), cipher.blindIndex('a', 'bc'));
    // Another index key gives unrelated indexes.
    const other = createFieldCipher({ dataKeys: [k1], activeDataKeyId: 'k1', indexKey: randomBytes(32) });
    assert.notEqual(other.blindIndex('id_number', '110101199003071234'), a);
  });

  it('validates keys', () => {
    assert.throws(() => createFieldCipher({ dataKeys: [{ id: 'k', key: randomBytes(16) }], activeDataKeyId: 'k', indexKey }), /32 bytes/);
    assert.throws(() => createFieldCipher({ dataKeys: [k1], activeDataKeyId: 'k1', indexKey: randomBytes(31) }), /index key/);
    assert.throws(() => createFieldCipher({ dataKeys: [k1], activeDataKeyId: 'k9', indexKey }), /active data key/);
    assert.throws(() => createFieldCipher({ dataKeys: [{ id: 'a.b', key: randomBytes(32) }], activeDataKeyId: 'a.b', indexKey }));
    assert.throws(() => createFieldCipher({ dataKeys: [], activeDataKeyId: 'k1', indexKey }));
    assert.throws(() => createFieldCipher({ dataKeys: [k1], activeDataKeyId: 'k1', indexKey: k1.key }), /differ/);
  });
});
