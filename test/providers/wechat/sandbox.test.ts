// test-pass: embedded — the sandbox on its own, no store
/** The sandbox WeChat APIs answer in WeChat's shapes (errcode with HTTP 200); the method's configuration. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type RunningSandbox } from '../../../providers/sandboxes.ts';
import { ConfigError } from '../../../src/errors.ts';
import { method } from '../../../providers/wechat/index.ts';
import { SANDBOX_APPID, wechatOpenId, wechatUnionId } from '../../../providers/wechat/sandbox.ts';
import { scanWithWechat } from './authority.ts';

const env = { authoritiesUrl: 'http://127.0.0.1:9', issuer: 'https://id.example.gov.cn', timeoutMs: 500, production: false };

describe('the sandbox WeChat', () => {
  let sb: RunningSandbox;
  let creds: { appid: string; secret: string };

  before(async () => {
    sb = await startSandbox({ port: 0 });
    creds = (await (await fetch(`${sb.url}/wechat/console/credentials`)).json()) as typeof creds;
  });
  after(async () => {
    await sb?.close();
  });

  const api = async (path: string, q: Record<string, string>) => {
    const res = await fetch(`${sb.url}/wechat${path}?${new URLSearchParams(q)}`);
    assert.equal(res.status, 200, 'WeChat answers errors with HTTP 200');
    return (await res.json()) as Record<string, unknown>;
  };
  const scan = async (key: string) => {
    const q = new URLSearchParams({ appid: creds.appid, redirect_uri: 'https://rp.example/cb', response_type: 'code', scope: 'snsapi_login', state: 's1' });
    return new URL(await scanWithWechat(`${sb.url}/wechat/connect/qrconnect?${q}#wechat_redirect`, key)).searchParams.get('code')!;
  };
  const exchange = (code: string, secret = creds.secret) => api('/sns/oauth2/access_token', { appid: creds.appid, secret, code, grant_type: 'authorization_code' });

  it('issues its appid and secret from the console', () => {
    assert.equal(creds.appid, SANDBOX_APPID);
    assert.match(creds.secret, /^[0-9a-f]{32}$/);
  });

  it('exchanges a code once (40163 the second time) and tells the profile with the unionid', async () => {
    const code = await scan('zhou-xiuying');
    const token = await exchange(code);
    assert.equal(token.openid, wechatOpenId(creds.appid, 'zhou-xiuying'));
    assert.equal(token.unionid, wechatUnionId('zhou-xiuying'));
    assert.deepEqual(await exchange(code), { errcode: 40163, errmsg: 'code been used' });
    const user = await api('/sns/userinfo', { access_token: String(token.access_token), openid: String(token.openid) });
    assert.equal(user.unionid, wechatUnionId('zhou-xiuying'));
    assert.equal(user.sex, 2);
  });

  it('answers errcodes: 40029 unknown code, 40125 wrong secret, 40001 bad token', async () => {
    assert.equal((await exchange('nope')).errcode, 40029);
    assert.equal((await exchange(await scan('zhou-xiuying'), '0'.repeat(32))).errcode, 40125);
    assert.equal((await api('/sns/userinfo', { access_token: 'x', openid: 'y' })).errcode, 40001);
  });
});

describe('wechat configuration', () => {
  const credentials = { appid: 'wx0123456789abcdef', secret: 'f'.repeat(32) };

  it('is off until configured, at level 1, bindable, and fetches its credentials from the sandbox console by default', () => {
    const cfg = method.configSchema.parse({});
    assert.deepEqual([cfg.enabled, cfg.level, cfg.sandboxConsole], [false, 1, true]);
    const m = method.create(cfg, env);
    assert.deepEqual([m.group, m.amr, m.bindable], ['apps', ['swk'], true]);
  });

  it('takes explicit credentials, and refuses them mixed with sandboxConsole or malformed', () => {
    assert.equal(method.configSchema.parse({ credentials }).sandboxConsole, false);
    assert.equal(method.configSchema.safeParse({ credentials, sandboxConsole: true }).success, false);
    assert.equal(method.configSchema.safeParse({ credentials: { ...credentials, secret: 'short' } }).success, false);
  });

  it('refuses to start in production with the sandbox console', () => {
    assert.throws(() => method.create(method.configSchema.parse({}), { ...env, production: true }), ConfigError);
    assert.doesNotThrow(() => method.create(method.configSchema.parse({ credentials }), { ...env, production: true }));
  });
});
