// test-pass: embedded — key files only, no store
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { ConfigError } from '../../src/errors.ts';
import { describeSigningKeys, loadKeys, rotateSigningKeys, type Keys } from '../../src/keys/index.ts';

const b64 = (n: number) => randomBytes(n).toString('base64');

/** The provider signs with the first key of an alg, so per alg the order must be active, next, retired. */
async function assertJwksOrder(dir: string, keys: Keys): Promise<void> {
  const info = await describeSigningKeys(dir);
  assert.deepEqual(
    keys.signing.keys.map((k) => k.kid),
    info.map((k) => k.kid),
  );
  const rank = { active: 0, next: 1, retired: 2 } as const;
  for (const alg of new Set(info.map((k) => k.alg))) {
    const own = info.filter((k) => k.alg === alg);
    assert.equal(own[0]!.status, 'active', `${alg}: first key is active`);
    assert.deepEqual(
      own.map((k) => rank[k.status]),
      own.map((k) => rank[k.status]).sort(),
    );
  }
}

function publicJwks(keys: Keys): { keys: JWK[] } {
  return {
    keys: keys.signing.keys.map(({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub }) => pub),
  };
}

describe('loadKeys in development', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tongban-keys-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates keys on first start, owner-readable only, and reuses them afterwards', async () => {
    const keysDir = join(dir, 'keys');
    const first = await loadKeys({ production: false, dir: keysDir, env: {} });
    for (const f of ['signing-keys.json', 'secrets.json']) {
      assert.equal((await stat(join(keysDir, f))).mode & 0o777, 0o600, f);
    }
    const second = await loadKeys({ production: false, dir: keysDir, env: {} });
    assert.deepEqual(second, first);

    const algs = first.signing.keys.map((k) => `${k.alg}`);
    assert.deepEqual(algs.sort(), ['ES256', 'ES256', 'RS256']);
    for (const k of first.signing.keys) {
      assert.equal(k.use, 'sig');
      assert.ok(k.kid && k.d, 'private JWK with kid');
      assert.equal((k as Record<string, unknown>).status, undefined, 'no file metadata in the JWK');
    }
    assert.equal(first.dataKeys[0]!.key.length, 32);
    assert.equal(first.dataKeys[0]!.id, first.activeDataKeyId);
    assert.equal(first.indexKey.length, 32);
    assert.equal(first.clientSecretKey.length, 32);
    assert.ok(first.pairwiseSalt.length >= 16);
    assert.ok(first.cookieKeys.every((k) => k.length >= 32));
    const info = await describeSigningKeys(keysDir);
    assert.deepEqual(
      info.map((k) => `${k.alg}:${k.status}`),
      ['ES256:active', 'ES256:next', 'RS256:active'],
    );
    await assertJwksOrder(keysDir, first);
  });

  it('agrees on one set of keys when two processes start at once', async () => {
    const keysDir = join(dir, 'race');
    const [a, b] = await Promise.all([
      loadKeys({ production: false, dir: keysDir, env: {} }),
      loadKeys({ production: false, dir: keysDir, env: {} }),
    ]);
    assert.deepEqual(a, b);
  });

  it('reports a damaged key file instead of replacing it', async () => {
    const keysDir = join(dir, 'damaged');
    await loadKeys({ production: false, dir: keysDir, env: {} });
    await writeFile(join(keysDir, 'secrets.json'), '{"cookieKeys": []}');
    await assert.rejects(loadKeys({ production: false, dir: keysDir, env: {} }), ConfigError);
    assert.equal(await readFile(join(keysDir, 'secrets.json'), 'utf8'), '{"cookieKeys": []}');
  });

  it('rotates: NEXT becomes ACTIVE, old ACTIVE is retired but still published, a new NEXT appears', async () => {
    const keysDir = join(dir, 'rotate');
    const before = await loadKeys({ production: false, dir: keysDir, env: {} });
    const info0 = await describeSigningKeys(keysDir);
    const es0Active = info0.find((k) => k.alg === 'ES256' && k.status === 'active')!.kid;
    const es0Next = info0.find((k) => k.alg === 'ES256' && k.status === 'next')!.kid;
    const rs0Active = info0.find((k) => k.alg === 'RS256' && k.status === 'active')!.kid;

    // A token signed before rotation.
    const signer = before.signing.keys.find((k) => k.alg === 'ES256')!;
    assert.equal(signer.kid, es0Active);
    const token = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'ES256', kid: signer.kid! })
      .sign(await importJWK(signer, 'ES256'));

    const r1 = await rotateSigningKeys(keysDir);
    assert.deepEqual(r1.activated, [es0Next]);
    // RS256 had no published NEXT, so it only gets one now; it activates at the next rotation.
    assert.equal(r1.published.length, 2);
    assert.deepEqual(r1.removed, []);

    const after1 = await loadKeys({ production: false, dir: keysDir, env: {} });
    const info1 = await describeSigningKeys(keysDir);
    const status1 = new Map(info1.map((k) => [k.kid, k.status]));
    assert.equal(status1.get(es0Next), 'active');
    assert.equal(status1.get(es0Active), 'retired');
    assert.equal(status1.get(rs0Active), 'active');
    for (const kid of r1.published) assert.equal(status1.get(kid), 'next');
    assert.equal(after1.signing.keys.find((k) => k.alg === 'ES256')!.kid, es0Next);
    await assertJwksOrder(keysDir, after1);
    // The old token still verifies against the published set.
    await jwtVerify(token, createLocalJWKSet(publicJwks(after1)));

    const r2 = await rotateSigningKeys(keysDir);
    const rsNext = info1.find((k) => k.alg === 'RS256' && k.status === 'next')!.kid;
    assert.ok(r2.activated.includes(rsNext));
    const after2 = await loadKeys({ production: false, dir: keysDir, env: {} });
    assert.equal(after2.signing.keys.find((k) => k.alg === 'RS256')!.kid, rsNext);
    await assertJwksOrder(keysDir, after2);

    // Retired keys beyond keepRetired (per alg) are dropped, oldest first.
    // ES256 retires a key at every rotation, RS256 from the second on.
    const r3 = await rotateSigningKeys(keysDir);
    assert.deepEqual(r3.removed, [es0Active]);
    const r4 = await rotateSigningKeys(keysDir);
    assert.equal(r4.removed.length, 2);
    assert.ok(r4.removed.includes(rs0Active));
    const info4 = await describeSigningKeys(keysDir);
    for (const alg of ['ES256', 'RS256']) {
      assert.equal(info4.filter((k) => k.alg === alg && k.status === 'retired').length, 2, alg);
    }
    const r5 = await rotateSigningKeys(keysDir, { keepRetired: 0 });
    // Two kept retired per alg plus the one each just retired.
    assert.equal(r5.removed.length, 6);
    await assertJwksOrder(keysDir, await loadKeys({ production: false, dir: keysDir, env: {} }));
    assert.equal((await stat(join(keysDir, 'signing-keys.json'))).mode & 0o777, 0o600);
  });
});

describe('loadKeys in production', () => {
  let dir: string;
  let fullEnv: Record<string, string>;
  let signingJson: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tongban-keys-prod-'));
    // Reuse the development generator for a valid signing document.
    await loadKeys({ production: false, dir, env: {} });
    signingJson = await readFile(join(dir, 'signing-keys.json'), 'utf8');
    fullEnv = {
      TONGBAN_SIGNING_KEYS: signingJson,
      TONGBAN_COOKIE_KEYS: `${'a'.repeat(32)}, ${'b'.repeat(40)}`,
      TONGBAN_DATA_KEYS: `k2025:${b64(32)},k2024:${b64(32)}`,
      TONGBAN_INDEX_KEY: b64(32),
      TONGBAN_PAIRWISE_SALT: b64(16),
      TONGBAN_CLIENT_SECRET_KEY: b64(32),
    };
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start with nothing set, naming every missing variable', async () => {
    const err = await loadKeys({ production: true, dir, env: {} }).then(
      () => assert.fail('should refuse'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConfigError);
    for (const name of [
      'TONGBAN_SIGNING_KEYS',
      'TONGBAN_COOKIE_KEYS',
      'TONGBAN_DATA_KEYS',
      'TONGBAN_INDEX_KEY',
      'TONGBAN_PAIRWISE_SALT',
      'TONGBAN_CLIENT_SECRET_KEY',
    ]) {
      assert.match(err.message, new RegExp(name), name);
    }
  });

  it('never falls back to the key folder', async () => {
    const { TONGBAN_INDEX_KEY: _omit, ...env } = fullEnv;
    await assert.rejects(loadKeys({ production: true, dir, env }), /TONGBAN_INDEX_KEY: is missing/);
  });

  it('names invalid values without echoing them', async () => {
    const badIndex = b64(16);
    const env = {
      ...fullEnv,
      TONGBAN_INDEX_KEY: badIndex,
      TONGBAN_COOKIE_KEYS: 'short',
      TONGBAN_DATA_KEYS: 'nocolon',
      TONGBAN_PAIRWISE_SALT: '',
    };
    const err = await loadKeys({ production: true, env }).then(
      () => assert.fail('should refuse'),
      (e: unknown) => e as Error,
    );
    assert.match(err.message, /TONGBAN_INDEX_KEY: must be base64 of 32 bytes/);
    assert.match(err.message, /TONGBAN_COOKIE_KEYS/);
    assert.match(err.message, /TONGBAN_DATA_KEYS/);
    assert.match(err.message, /TONGBAN_PAIRWISE_SALT: is missing/);
    assert.ok(!err.message.includes(badIndex));
    assert.doesNotMatch(err.message, /TONGBAN_SIGNING_KEYS|TONGBAN_CLIENT_SECRET_KEY/);
  });

  it('refuses a signing document that is not private, not JSON, or has two active keys per alg', async () => {
    const doc = JSON.parse(signingJson) as { keys: Record<string, unknown>[] };
    const publicOnly = { keys: doc.keys.map(({ d: _d, ...k }) => k) };
    await assert.rejects(
      loadKeys({ production: true, env: { ...fullEnv, TONGBAN_SIGNING_KEYS: JSON.stringify(publicOnly) } }),
      /TONGBAN_SIGNING_KEYS: keys\[0\]\.d: must be a private key/,
    );
    const secretInside = doc.keys[0]!.d as string;
    const err = await loadKeys({ production: true, env: { ...fullEnv, TONGBAN_SIGNING_KEYS: `${signingJson.slice(0, 200)}` } }).then(
      () => assert.fail('should refuse'),
      (e: unknown) => e as Error,
    );
    assert.match(err.message, /TONGBAN_SIGNING_KEYS: not valid JSON/);
    assert.ok(!err.message.includes(secretInside));
    const twoActive = { keys: doc.keys.map((k) => ({ ...k, status: 'active' })) };
    await assert.rejects(
      loadKeys({ production: true, env: { ...fullEnv, TONGBAN_SIGNING_KEYS: JSON.stringify(twoActive) } }),
      /ES256: exactly one key must have status "active" \(found 2\)/,
    );
    await assert.rejects(
      loadKeys({ production: true, env: { ...fullEnv, TONGBAN_SIGNING_KEYS_FILE: join(dir, 'signing-keys.json') } }),
      /set only one/,
    );
  });

  it('accepts a full environment', async () => {
    const keys = await loadKeys({ production: true, env: fullEnv });
    assert.deepEqual(keys.cookieKeys, ['a'.repeat(32), 'b'.repeat(40)]);
    assert.deepEqual(
      keys.dataKeys.map((k) => k.id),
      ['k2025', 'k2024'],
    );
    assert.equal(keys.activeDataKeyId, 'k2025');
    assert.deepEqual(keys.indexKey, Buffer.from(fullEnv.TONGBAN_INDEX_KEY!, 'base64'));
    assert.equal(keys.signing.keys.length, 3);
    assert.equal(keys.signing.keys[0]!.alg, 'ES256');
    await assertJwksOrder(dir, keys);
  });

  it('reads the signing document from TONGBAN_SIGNING_KEYS_FILE', async () => {
    const { TONGBAN_SIGNING_KEYS: _omit, ...env } = fullEnv;
    const keys = await loadKeys({ production: true, env: { ...env, TONGBAN_SIGNING_KEYS_FILE: join(dir, 'signing-keys.json') } });
    assert.equal(keys.signing.keys.length, 3);
    await assert.rejects(
      loadKeys({ production: true, env: { ...env, TONGBAN_SIGNING_KEYS_FILE: join(dir, 'nope.json') } }),
      /TONGBAN_SIGNING_KEYS_FILE: cannot read the file \(ENOENT\)/,
    );
  });
});
