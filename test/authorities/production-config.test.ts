/**
 * The outside authorities in production: the real start-up refuses the sandbox's values and names
 * each one; a production-shaped AUTHORITIES_FILE passes the same checks and reaches the
 * configured authority; development still runs on the sandbox with nothing configured.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../src/config/env.ts';
import { ConfigError } from '../../src/errors.ts';
import { configureAuthorities, isLocalUrl } from '../../src/authorities/configure.ts';
import { createAuthorities } from '../../src/authorities/index.ts';
import { createMethods } from '../../providers/registry.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { entryArgs } from '../support/entry.ts';

const run = promisify(execFile);
const METHODS_JSON = path.join(REPO_ROOT, 'config', 'methods.json');

/** The service's own start-up (src/main.ts) in production with `env`; its exit status and output. */
async function startUp(env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, entryArgs('src/main.ts'), {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', WORKERS: '1', LOG_LEVEL: 'silent', METRICS_PORT: '0', PORT: '0', ...env },
      timeout: 120_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const rsaPublicPem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** What an operator would mount: real-looking values for every authority the enabled methods use. */
function productionFile(base: string) {
  const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const eidEnc = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platform = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    'population-registry': { baseUrl: `${base}/registry`, appId: 'city-idp-prod', appKey: randomBytes(24).toString('base64url') },
    'sms-gateway': { baseUrl: `${base}/sms`, account: 'city-idp-prod' },
    methods: {
      alipay: {
        authorizeUrl: 'https://openauth.alipay.com/oauth2/publicAppAuthorize.htm',
        gatewayUrl: 'https://openapi.alipay.com/gateway.do',
        credentials: {
          appId: '2021004100000042',
          appPrivateKey: alipay.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          alipayPublicKey: rsaPublicPem(),
        },
      },
      wechat: { connectUrl: 'https://open.weixin.qq.com/connect/qrconnect', apiUrl: 'https://api.weixin.qq.com', credentials: { appid: 'wx0123456789abcdef', secret: randomBytes(16).toString('hex') } },
      'gov-eid': {
        platformUrl: 'https://eid.example.gov.cn',
        credentials: {
          appId: 'city-idp',
          platformIssuer: 'https://eid.example.gov.cn',
          platformJwks: { keys: [platform.publicKey.export({ format: 'jwk' })] },
          ourEncryptionPrivateJwk: eidEnc.privateKey.export({ format: 'jwk' }),
        },
      },
      'bank-card': { baseUrl: 'https://bank-verify.example.cn', credentials: { merchantId: 'M-42', apiKey: randomBytes(24).toString('hex') } },
      face: { baseUrl: 'https://face.example.gov.cn', credentials: { appId: 'city-idp', apiKey: randomBytes(24).toString('hex') } },
      'social-security-card': { baseUrl: 'https://si.example.gov.cn', credentials: { orgCode: 'ORG42', orgToken: randomBytes(24).toString('hex'), pinPublicKey: rsaPublicPem() } },
      'housing-fund': { baseUrl: 'https://gjj.example.gov.cn', credentials: { appid: 'city-idp', appSecret: randomBytes(24).toString('hex') } },
      // the UKey CA's anchors are certificates an operator holds; this check leaves them out
      certificate: { enabled: false },
    },
  };
}

describe('outside authorities in production', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'tongban-authorities-'));
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  it('refuses to start without an authorities file and names every sandbox value, the methods’ included', async () => {
    const { code, output } = await startUp({ ISSUER: 'https://id.example.gov.cn', AUTHORITIES_URL: 'http://127.0.0.1:3900' });
    assert.equal(code, 1, output);
    assert.match(output, /not configured for production/);
    for (const named of [
      /AUTHORITIES_FILE: required in production/,
      /AUTHORITIES_URL: http:\/\/127\.0\.0\.1:3900 is on this machine/,
      /population-registry\.baseUrl: missing/,
      /population-registry\.appId: missing/,
      /population-registry\.appKey: missing/,
      /sms-gateway\.baseUrl: missing/,
      /sms-gateway\.account: missing/,
      /"alipay": the sandbox console is for development only/,
      /"gov-eid": the sandbox console is for development only/,
      /"housing-fund": the sandbox console is for development only/,
    ]) {
      assert.match(output, named);
    }
    assert.doesNotMatch(output, /listening|is running/);
  });

  it('refuses the sandbox’s well-known app key and authority URLs on this machine, each by name', async () => {
    const file = path.join(tmp, 'sandboxy.json');
    const good = productionFile('https://registry.example.gov.cn');
    await writeFile(
      file,
      JSON.stringify({
        ...good,
        'population-registry': { baseUrl: 'http://localhost:3900/registry', appId: 'tongban-id', appKey: 'sandbox-registry-key' },
        methods: { ...good.methods, face: { ...good.methods.face, baseUrl: 'http://[::1]:3900/face' } },
      }),
    );
    const { code, output } = await startUp({ ISSUER: 'https://id.example.gov.cn', AUTHORITIES_URL: 'https://authorities.example.gov.cn', AUTHORITIES_FILE: file });
    assert.equal(code, 1, output);
    assert.match(output, /population-registry\.appKey: the sandbox’s well-known app key/);
    assert.match(output, /population-registry\.baseUrl: http:\/\/localhost:3900\/registry is on this machine/);
    assert.match(output, /methods\.face\.baseUrl: http:\/\/\[::1\]:3900\/face is on this machine/);
    assert.doesNotMatch(output, /AUTHORITIES_FILE: required/);
    assert.doesNotMatch(output, /sms-gateway/);
  });

  it('names an authorities file that is not valid JSON or has an unknown field', async () => {
    const broken = path.join(tmp, 'broken.json');
    await writeFile(broken, '{ "population-registry": ');
    await assert.rejects(configureAuthorities({ production: false, authoritiesFile: broken }, {}), (e: Error) => e instanceof ConfigError && e.message.includes(`AUTHORITIES_FILE: ${broken}`));
    const odd = path.join(tmp, 'odd.json');
    await writeFile(odd, JSON.stringify({ 'population-registry': { baseUrl: 'ftp://x', appKey: 'k' } }));
    await assert.rejects(
      configureAuthorities({ production: false, authoritiesFile: odd }, {}),
      (e: Error) => e instanceof ConfigError && /population-registry\.baseUrl/.test(e.message) && /population-registry\.appKey/.test(e.message),
    );
  });

  it('accepts a production-shaped file, builds every enabled method from it, and calls the configured registry with its key', async () => {
    const seen: Array<{ path: string; appKey: string | undefined; appId: string }> = [];
    const registry: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { requestId, appId } = JSON.parse(body) as { requestId: string; appId: string };
        seen.push({ path: req.url ?? '', appKey: req.headers['x-app-key'] as string | undefined, appId });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ code: '0000', result: 'consistent', requestId, checkedAt: new Date().toISOString() }));
      });
    });
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
    try {
      const file = path.join(tmp, 'production.json');
      const content = productionFile('https://registry.example.gov.cn');
      await writeFile(file, JSON.stringify(content));
      const methodsJson: unknown = JSON.parse(await readFile(METHODS_JSON, 'utf8'));
      const config = { production: true, authoritiesUrl: 'https://authorities.example.gov.cn', authoritiesFile: file };
      const outside = await configureAuthorities(config, methodsJson);
      const methods = outside.check(() =>
        createMethods(outside.methodSettings, { authoritiesUrl: config.authoritiesUrl, issuer: 'https://id.example.gov.cn', timeoutMs: 1000, production: true }),
      );
      assert.ok(methods.has('alipay') && methods.has('gov-eid') && methods.has('housing-fund'), 'the methods with outside authorities are built');
      assert.equal(methods.has('certificate'), false);
      assert.equal(outside.registry.appKey, content['population-registry'].appKey);

      // the same registry settings, pointed at a stand-in registry, are what the service calls with
      const port = (registry.address() as { port: number }).port;
      const authorities = createAuthorities({ sandboxUrl: 'https://unused.example', registry: { ...outside.registry, baseUrl: `http://127.0.0.1:${port}/v2` } });
      const c = citizen('zhao-min');
      assert.equal((await authorities.registry.checkNameAndId(c.idNumber, c.name)).result, 'match');
      assert.equal(seen.length, 1);
      assert.match(seen[0]!.path, /^\/v2\//);
      assert.equal(seen[0]!.appKey, content['population-registry'].appKey, 'the configured app key, not the sandbox’s');
      assert.equal(seen[0]!.appId, 'city-idp-prod');
    } finally {
      await new Promise((r) => registry.close(r));
    }
  });

  it('tells addresses on this machine from an authority’s', () => {
    for (const u of ['http://localhost:3900', 'http://127.0.0.1', 'http://127.8.0.1:80/x', 'http://[::1]:3900', 'http://0.0.0.0:3900', 'http://sandbox.localhost']) assert.equal(isLocalUrl(u), true, u);
    for (const u of ['https://registry.example.gov.cn', 'http://10.1.2.3:8080', 'https://[2001:db8::1]/']) assert.equal(isLocalUrl(u), false, u);
  });
});

describe('outside authorities in development', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack?.close());

  it('needs no authorities file: the registry is the sandbox with its development key', async () => {
    const c = citizen('zhao-min');
    assert.equal((await stack.ctx.authorities.registry.checkNameAndId(c.idNumber, c.name)).result, 'match');
  });
});
