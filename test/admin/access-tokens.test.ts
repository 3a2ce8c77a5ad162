/**
 * Roles on the admin API: each role through the console and through client-credentials tokens
 * with `admin:<role>` scopes; `requireRole` on a guarded route; tokens without an admin scope,
 * for another purpose, or whose client lost the scope, refused; the OpenAPI document lists
 * every route the areas mount.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, basic, type TestClient } from '../support/clients.ts';
import { authUrl, Browser, codeFrom } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { adminConsole, adminToken, createAdmin, type AdminConsole } from '../support/admin.ts';
import { adminApiRouter } from '../../src/admin/router.ts';
import { requireRole } from '../../src/admin/auth.ts';
import { adminOf } from '../../src/admin/principal.ts';
import { ADMIN_AREAS } from '../../src/admin/areas.ts';
import { ADMIN_ROLES, ADMIN_SCOPES, adminApiResource, type AdminRole } from '../../src/admin/roles.ts';
import type { AdminArea } from '../../src/admin/area.ts';
import { citizen } from '../../src/sandbox/citizens.ts';

/** A guarded route of the test's own, served by the real admin router on the stack's deps. */
const probe: AdminArea = {
  id: 'probe',
  api: () =>
    express
      .Router()
      .get('/probe/audit', requireRole('auditor'), (_req, res) => {
        res.json({ actor: adminOf(res).actorId });
      })
      .post('/probe/audit', requireRole('auditor'), (_req, res) => {
        res.json({ changed: true });
      }),
};

type Layer = { route?: { path: string; methods: Record<string, boolean> }; rawPath?: string; handle: { stack?: Layer[] } };

/** Every route an express router serves, with the prefixes of routers mounted in it. */
function routesOf(stack: readonly Layer[], prefix = ''): Array<{ method: string; path: string }> {
  return stack.flatMap((l) => {
    if (l.route) return Object.keys(l.route.methods).map((m) => ({ method: m, path: prefix + l.route!.path }));
    if (l.handle.stack) return routesOf(l.handle.stack, prefix + (l.rawPath && l.rawPath !== '/' ? l.rawPath : ''));
    return [];
  });
}

const openApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

describe('admin roles, API tokens and the OpenAPI document', () => {
  let stack: Stack;
  let probeServer: Server;
  let probeUrl: string;
  let dept: TestClient;
  let console_: AdminConsole;
  const password = 'Winter2026snow';

  before(async () => {
    stack = await startStack();
    const app = express().use(adminApiRouter(stack.ctx.admin, [probe]));
    probeServer = createServer(app);
    await new Promise<void>((r) => probeServer.listen(0, '127.0.0.1', r));
    probeUrl = `http://127.0.0.1:${(probeServer.address() as { port: number }).port}`;
    dept = await addClient(stack, 'tax-office', { tongban_first_party: true });
    await createAdmin(stack, 'ma-jun', ['auditor']);
    console_ = await adminConsole(stack, 'ma-jun');
  });
  after(async () => {
    await new Promise((r) => probeServer?.close(r));
    await dept?.rp.close();
    await stack?.close();
  });

  const sessionCookie = () => {
    const c = console_.browser.agent.jar.getCookie('tongban_admin', { domain: '127.0.0.1', path: '/admin', secure: false, script: false });
    assert.ok(c, 'the console has its session cookie');
    return `tongban_admin=${c.value}`;
  };

  it('gives each role, held alone, /me and exactly the guarded routes of that role: in the console and by token', async () => {
    for (const role of ADMIN_ROLES) {
      // the record is read on every request: the same signed-in admin, one role at a time
      await createAdmin(stack, 'ma-jun', [role]);
      const me = await console_.api.get('/admin/api/me');
      assert.equal(me.status, 200, `${role}: ${me.text}`);
      assert.deepEqual(me.body.roles, [role]);
      const viaConsole = await request(probeUrl).get('/admin/api/probe/audit').set('Cookie', sessionCookie()).set('Accept', 'application/json');
      assert.equal(viaConsole.status, role === 'auditor' ? 200 : 403, `${role} in the console`);
      if (role !== 'auditor') assert.equal(viaConsole.body.error, 'admin_role_required');

      const { token, clientId } = await adminToken(stack, [role]);
      const tokenMe = await request(stack.issuer).get('/admin/api/me').set('Authorization', `Bearer ${token}`);
      assert.equal(tokenMe.status, 200, tokenMe.text);
      assert.deepEqual(tokenMe.body.roles, [role]);
      assert.equal(tokenMe.body.via, 'token');
      assert.equal(tokenMe.body.actor_id, `client:${clientId}`);
      assert.equal(tokenMe.body.csrf_token, undefined, 'tokens need no CSRF token');
      const viaToken = await request(probeUrl).get('/admin/api/probe/audit').set('Authorization', `Bearer ${token}`);
      assert.equal(viaToken.status, role === 'auditor' ? 200 : 403, `${role} by token`);
    }
    await createAdmin(stack, 'ma-jun', ['auditor']);
  });

  it('reaches a guarded change with the CSRF token in the console, and without one by token', async () => {
    const noCsrf = await request(probeUrl).post('/admin/api/probe/audit').set('Cookie', sessionCookie()).send({});
    assert.equal(noCsrf.status, 403);
    assert.equal(noCsrf.body.error, 'csrf_invalid');
    const withCsrf = await request(probeUrl).post('/admin/api/probe/audit').set('Cookie', sessionCookie()).set('X-CSRF-Token', console_.csrf).send({});
    assert.equal(withCsrf.status, 200);
    const { token } = await adminToken(stack, ['auditor']);
    const byToken = await request(probeUrl).post('/admin/api/probe/audit').set('Authorization', `Bearer ${token}`).send({});
    assert.equal(byToken.status, 200);
  });

  it('gives a token several roles when the client is registered with them, and only those', async () => {
    const { token, clientId, secret } = await adminToken(stack, ['helpdesk', 'auditor'], { registered: ['helpdesk', 'auditor', 'key_admin'] });
    const me = await request(stack.issuer).get('/admin/api/me').set('Authorization', `Bearer ${token}`);
    assert.deepEqual(me.body.roles, ['helpdesk', 'auditor'], 'what was asked for, not all that is registered');

    const beyond = await request(stack.issuer).post('/token').auth(clientId, secret).type('form').send({ grant_type: 'client_credentials', scope: 'admin:auditor admin:policy_admin' });
    assert.equal(beyond.status, 400, beyond.text);
    assert.equal(beyond.body.error, 'invalid_scope');

    // the token is for the admin API and says so
    const seen = await request(stack.issuer).post('/token/introspection').auth(clientId, secret).type('form').send({ token });
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.body.active, true);
    assert.equal(seen.body.aud, adminApiResource(stack.issuer));
    assert.equal(seen.body.scope, 'admin:helpdesk admin:auditor');
  });

  it('refuses bearer tokens that carry no admin role: no admin scope, another kind of token, garbage, a scope since withdrawn', async () => {
    const expectRefused = async (authorization: string, what: string) => {
      const r = await request(stack.issuer).get('/admin/api/me').set('Authorization', authorization);
      assert.equal(r.status, 401, `${what}: ${r.text}`);
      assert.equal(r.body.error, 'admin_token_invalid', what);
      assert.match(r.headers['www-authenticate'] ?? '', /^Bearer error="invalid_token"/, what);
    };
    // a department's own client-credentials token (no admin scope)
    const plain = await request(stack.issuer).post('/token').set('Authorization', basic(dept)).type('form').send({ grant_type: 'client_credentials' });
    assert.equal(plain.status, 200, plain.text);
    await expectRefused(`Bearer ${plain.body.access_token}`, 'a token without admin scopes');
    // a department cannot ask for an admin scope it is not registered with
    const asked = await request(stack.issuer).post('/token').set('Authorization', basic(dept)).type('form').send({ grant_type: 'client_credentials', scope: 'admin:auditor' });
    assert.equal(asked.status, 400, asked.text);
    // a citizen's access token from a sign-in
    await enrolCitizen(stack, 'ouyang-xue', password);
    const browser = new Browser(stack.issuer);
    const req = authUrl(dept.clientId, dept.redirectUri);
    const done = await passwordLogin(browser, (await browser.open(req.url)).text, citizen('ouyang-xue').idNumber, password);
    const code = codeFrom(done.location, req.state);
    const tokens = await request(stack.issuer)
      .post('/token')
      .set('Authorization', basic(dept))
      .type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: dept.redirectUri, code_verifier: req.verifier });
    assert.equal(tokens.status, 200, tokens.text);
    await expectRefused(`Bearer ${tokens.body.access_token}`, "a citizen's access token");
    await expectRefused('Bearer not-a-token', 'garbage');
    await expectRefused('Bearer', 'no token');
    await expectRefused(`Basic ${Buffer.from('a:b').toString('base64')}`, 'another scheme');

    // the client's registration loses the scope: its tokens lose the role at once
    const { token, clientId, secret } = await adminToken(stack, ['auditor']);
    assert.equal((await request(stack.issuer).get('/admin/api/me').set('Authorization', `Bearer ${token}`)).status, 200);
    await stack.ctx.register({ client_id: clientId, client_name: 'Automation', client_secret: secret, grant_types: ['client_credentials'], subject_type: 'public', scope: 'openid' }, 'test');
    await expectRefused(`Bearer ${token}`, 'a scope withdrawn from the client');
  });

  it('takes admin scopes only in client-credentials-only registrations', async () => {
    await assert.rejects(
      stack.ctx.register(
        { client_id: 'sneaky-app', client_name: 'Sneaky', client_secret: 'x'.repeat(40), redirect_uris: ['https://sneaky.example/cb'], grant_types: ['authorization_code', 'client_credentials'], scope: 'openid admin:helpdesk' },
        'test',
      ),
      (err: Error & { params?: Record<string, unknown> }) => /admin scopes need grant_types/.test(String(err.params?.field ?? err.message)),
    );
    await assert.rejects(
      stack.ctx.register({ client_id: 'typo-bot', client_name: 'Typo', client_secret: 'x'.repeat(40), grant_types: ['client_credentials'], scope: 'admin:superuser' }, 'test'),
    );
  });

  it('describes every route the areas mount in one OpenAPI 3.1 document, with both ways in', async () => {
    const res = await request(stack.issuer).get('/admin/api/openapi.json');
    assert.equal(res.status, 200);
    const doc = JSON.parse(res.text) as {
      openapi: string;
      servers: Array<{ url: string }>;
      paths: Record<string, Record<string, { responses?: unknown }>>;
      components: { securitySchemes: Record<string, { type: string; flows?: { clientCredentials: { tokenUrl: string; scopes: Record<string, string> } } }> };
    };
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.servers[0]!.url, adminApiResource(stack.issuer));
    const schemes = doc.components.securitySchemes;
    assert.equal(schemes.adminSession!.type, 'apiKey');
    assert.equal(schemes.csrfToken!.type, 'apiKey');
    assert.deepEqual(Object.keys(schemes.adminToken!.flows!.clientCredentials.scopes).sort(), [...ADMIN_SCOPES].sort());
    assert.equal(schemes.adminToken!.flows!.clientCredentials.tokenUrl, `${stack.issuer}/token`);

    const mounted = ADMIN_AREAS.flatMap((a) => (a.api ? routesOf((a.api(stack.ctx.admin) as unknown as { stack: Layer[] }).stack) : []));
    mounted.push({ method: 'get', path: '/me' }, { method: 'get', path: '/openapi.json' });
    for (const area of ADMIN_AREAS.filter((a) => a.api)) {
      assert.ok(routesOf((area.api!(stack.ctx.admin) as unknown as { stack: Layer[] }).stack).length > 0, `the walk finds the routes of ${area.id}`);
    }
    const missing = mounted.filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method]).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    assert.deepEqual(missing, [], 'every mounted route is described');
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        assert.ok(op.responses, `${method.toUpperCase()} ${path} describes its responses`);
        assert.ok(mounted.some((r) => r.method === method && openApiPath(r.path) === path), `${method.toUpperCase()} ${path} is served`);
      }
    }
  });

  it('answers every area read in JSON and never with a server error, whichever role a token holds', async () => {
    const mounted = ADMIN_AREAS.flatMap((a) => (a.api ? routesOf((a.api(stack.ctx.admin) as unknown as { stack: Layer[] }).stack) : []));
    const reads = mounted.filter((r) => r.method === 'get' && !r.path.includes(':'));
    assert.ok(reads.length > 0);
    for (const role of ['staff_admin', 'auditor'] as AdminRole[]) {
      const { token } = await adminToken(stack, [role]);
      for (const r of reads) {
        const res = await request(stack.issuer).get(`/admin/api${r.path}`).set('Authorization', `Bearer ${token}`);
        assert.ok(res.status < 500, `${role} ${r.path}: ${res.status} ${res.text.slice(0, 200)}`);
        assert.match(res.headers['content-type'] ?? '', /json|csv/, `${r.path} answers JSON`);
      }
    }
  });
});
