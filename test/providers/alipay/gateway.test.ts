// test-pass: embedded — the connector against the sandbox, no store
/**
 * The Alipay protocol pieces on their own: RSA2 signing strings, cutting the signed member out of
 * an answer, the sandbox gateway really checking our signature, and the method's configuration.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../../../providers/sandboxes.ts';
import { ConfigError } from '../../../src/errors.ts';
import { method } from '../../../providers/alipay/index.ts';
import { beijingTimestamp, memberText, rsa2Sign, rsa2Verify, signingString } from '../../../providers/alipay/rsa2.ts';

const env = { authoritiesUrl: 'http://127.0.0.1:9', issuer: 'https://id.example.gov.cn', timeoutMs: 500, production: false };

describe('alipay RSA2 signing', () => {
  it('signs every parameter but sign, sorted by key, without empty values and without URL-encoding', () => {
    assert.equal(
      signingString({ method: 'alipay.system.oauth.token', app_id: '2021000000000001', sign: 'x', code: '', timestamp: '2026-01-02 03:04:05', biz: 'a=b&c' }),
      'app_id=2021000000000001&biz=a=b&c&method=alipay.system.oauth.token&timestamp=2026-01-02 03:04:05',
    );
  });

  it('writes the timestamp in Beijing time', () => {
    assert.equal(beijingTimestamp(Date.UTC(2026, 0, 31, 20, 5, 9)), '2026-02-01 04:05:09');
  });

  it('cuts the exact text of a member out of an answer, braces and quotes in strings included', () => {
    const inner = '{"code":"10000","msg":"Su}c\\"cess{","nested":{"a":[1,{"b":"]"}]},"n":-1.5e3}';
    const text = `{ "other" : [1, "x"], "alipay_user_info_share_response":${inner} , "sign":"abc"}`;
    assert.equal(memberText(text, 'alipay_user_info_share_response'), inner);
    assert.equal(memberText(text, 'sign'), '"abc"');
    assert.equal(memberText(text, 'missing'), null);
  });
});

describe('the sandbox Alipay gateway', () => {
  let sb: RunningSandbox;
  let creds: { app_id: string; app_private_key: string; alipay_public_key: string };
  let appKey: KeyObject;
  let alipayKey: KeyObject;

  before(async () => {
    sb = await startSandbox({ port: 0 });
    creds = (await (await fetch(`${sb.url}/alipay/console/credentials`)).json()) as typeof creds;
    appKey = createPrivateKey(creds.app_private_key);
    alipayKey = createPublicKey(creds.alipay_public_key);
  });
  after(async () => {
    await sb?.close();
  });

  async function call(params: Record<string, string>, key: KeyObject, tamper: Record<string, string> = {}) {
    const p = { app_id: creds.app_id, format: 'JSON', charset: 'utf-8', sign_type: 'RSA2', timestamp: beijingTimestamp(), version: '1.0', ...params };
    const body = new URLSearchParams({ ...p, sign: rsa2Sign(signingString(p), key), ...tamper });
    const res = await fetch(`${sb.url}/alipay/gateway.do`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' }, body });
    assert.equal(res.status, 200);
    return res.text();
  }

  function signedMember(text: string, member: string): Record<string, string> {
    const signed = memberText(text, member);
    assert.ok(signed, `${member} in ${text}`);
    assert.ok(rsa2Verify(signed, (JSON.parse(text) as { sign: string }).sign, alipayKey), 'Alipay signed its answer');
    return JSON.parse(signed) as Record<string, string>;
  }

  it('issues PKCS#8 and SPKI PEM keys and a 16-digit app id from its console', () => {
    assert.match(creds.app_id, /^\d{16}$/);
    assert.match(creds.app_private_key, /^-----BEGIN PRIVATE KEY-----/);
    assert.match(creds.alipay_public_key, /^-----BEGIN PUBLIC KEY-----/);
  });

  it('refuses a request signed with another key (isv.invalid-signature), and accepts the app key', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const params = { method: 'alipay.user.info.share', auth_token: 'authusrBnot-a-token' };
    const refused = signedMember(await call(params, stranger), 'error_response');
    assert.equal(refused.code, '40002');
    assert.equal(refused.sub_code, 'isv.invalid-signature');

    // the signature passes, so the gateway gets as far as the (unknown) token
    const accepted = signedMember(await call(params, appKey), 'alipay_user_info_share_response');
    assert.equal(accepted.code, '20001');
    assert.equal(accepted.sub_code, 'aop.invalid-auth-token');
  });

  it('refuses a request changed after signing', async () => {
    const text = await call({ method: 'alipay.system.oauth.token', grant_type: 'authorization_code', code: 'abc' }, appKey, { code: 'abd' });
    assert.equal(signedMember(text, 'error_response').sub_code, 'isv.invalid-signature');
  });

  it('answers an unknown auth code with a signed isv.code-invalid error', async () => {
    const text = await call({ method: 'alipay.system.oauth.token', grant_type: 'authorization_code', code: 'c0ffee' }, appKey);
    const e = signedMember(text, 'error_response');
    assert.deepEqual([e.code, e.msg, e.sub_code], ['40002', 'Invalid Arguments', 'isv.code-invalid']);
  });

  it('refuses a stale timestamp', async () => {
    const text = await call({ method: 'alipay.user.info.share', auth_token: 'x', timestamp: beijingTimestamp(Date.now() - 3600_000) }, appKey);
    assert.equal(signedMember(text, 'error_response').sub_code, 'isv.invalid-timestamp');
  });
});

describe('alipay configuration', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const credentials = {
    appId: '2021004100000001',
    appPrivateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    alipayPublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };

  it('is off until configured, at level 2, and fetches its keys from the sandbox console by default', () => {
    const cfg = method.configSchema.parse({});
    assert.equal(cfg.enabled, false);
    assert.equal(cfg.level, 2);
    assert.equal(cfg.sandboxConsole, true);
    const m = method.create(cfg, env);
    assert.deepEqual([m.group, m.amr, m.bindable], ['apps', ['swk'], true]);
  });

  it('takes explicit console credentials, and refuses them mixed with sandboxConsole or as bad PEM', () => {
    assert.equal(method.configSchema.parse({ credentials }).sandboxConsole, false);
    assert.equal(method.configSchema.safeParse({ credentials, sandboxConsole: true }).success, false);
    assert.equal(method.configSchema.safeParse({ credentials: { ...credentials, appPrivateKey: 'not a key' } }).success, false);
  });

  it('refuses to start in production with the sandbox console', () => {
    assert.throws(() => method.create(method.configSchema.parse({}), { ...env, production: true }), ConfigError);
    assert.doesNotThrow(() => method.create(method.configSchema.parse({ credentials }), { ...env, production: true }));
  });
});
