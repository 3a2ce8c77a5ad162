/**
 * Admin tests' helpers: an admin with roles in a running stack, a console signed in through the
 * real level-3 sign-in (the person's test certificate in the sandbox's signing simulator), and
 * an API token by client credentials with admin scopes.
 *
 *   const admin = await createAdmin(stack, 'zhang-wei', ['policy_admin']);
 *   const c = await adminConsole(stack, 'zhang-wei');          // signed in, home page open
 *   await c.api.post('/admin/api/…').send({ … });             // JSON with X-CSRF-Token
 *   await c.form('/admin/…', { field: 'value' });              // a urlencoded form with _csrf
 *   const token = await adminToken(stack, ['auditor']);        // Bearer for /admin/api
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Stack } from './stack.ts';
import { Browser } from './browser.ts';
import type { Page } from '../providers/contract/driver.ts';
import { signWithSimulator } from '../providers/certificate/helpers.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { createAdminDirectory, grantAdmin } from '../../src/admin/admin-directory.ts';
import type { AdminRole } from '../../src/admin/roles.ts';
import { INDEX_DOMAIN } from '../../src/identity/types.ts';
import { generateClientSecret } from '../../src/crypto/client-secret.ts';

export interface TestAdmin {
  key: string;
  idNumber: string;
  name: string;
  personId: string;
  /** what audit rows name this admin as */
  actorId: string;
}

const grantDeps = (stack: Stack) => ({
  audit: stack.ctx.audit,
  identity: stack.ctx.identity,
  admins: createAdminDirectory(stack.ctx.db),
  subjectIndexOf: (n: string) => stack.ctx.cipher.blindIndex(INDEX_DOMAIN.idNumber, n),
});

/** Makes the sandbox citizen `key` an admin with `roles` (or sets their roles / state), as the CLI does. */
export async function createAdmin(stack: Stack, key: string, roles: readonly AdminRole[], opts: { active?: boolean } = {}): Promise<TestAdmin> {
  const c = citizen(key);
  const r = await grantAdmin(grantDeps(stack), {
    idNumber: c.idNumber,
    name: c.name,
    roles,
    active: opts.active ?? true,
    reason: 'test set-up',
    actor: { actorId: 'cli:test', roles: [] },
  });
  return { key, idNumber: c.idNumber, name: c.name, personId: r.personId, actorId: `person:${r.personId}` };
}

/** A supertest agent that sends the console's cookie and its CSRF token on every change. */
export interface AdminConsole {
  browser: Browser;
  /** the home page as it was shown after sign-in */
  home: Page;
  csrf: string;
  api: {
    get(path: string): request.Test;
    post(path: string): request.Test;
    put(path: string): request.Test;
    patch(path: string): request.Test;
    delete(path: string): request.Test;
  };
  /** GET a console page (following redirects on our own site) */
  open(path: string): Promise<Page>;
  /** POST a urlencoded form with the CSRF token */
  form(path: string, fields: Record<string, string>): request.Test;
}

/** Signs `key` in at /admin with their certificate (level 3), like a person with a UKey. */
export async function adminConsole(stack: Stack, key: string): Promise<AdminConsole> {
  const browser = new Browser(stack.issuer);
  const chooser = await browser.open('/admin');
  const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/certificate)"/);
  assert.ok(link, `the admin sign-in asks for a level-3 method: ${chooser.status} ${chooser.text.slice(0, 300)}`);
  const signedIn = await signWithSimulator(browser, await browser.open(link[1]!), `${key}:valid`);
  assert.equal(signedIn.status, 200, signedIn.text.slice(0, 500));
  // the sign-in ends on our page whose script moves on to the console (a same-site step)
  assert.match(signedIn.text, /<a class="button" href="\/admin" data-forward>/);
  const home = await browser.open('/admin');
  assert.equal(home.status, 200, home.text.slice(0, 500));
  const csrf = home.text.match(/name="_csrf" value="([^"]+)"/)?.[1];
  assert.ok(csrf, 'the home page carries the CSRF token');
  const agent = browser.agent;
  const withCsrf = (t: request.Test) => t.set('X-CSRF-Token', csrf).set('Accept', 'application/json');
  return {
    browser,
    home,
    csrf,
    api: {
      get: (p) => agent.get(p).set('Accept', 'application/json'),
      post: (p) => withCsrf(agent.post(p)),
      put: (p) => withCsrf(agent.put(p)),
      patch: (p) => withCsrf(agent.patch(p)),
      delete: (p) => withCsrf(agent.delete(p)),
    },
    open: (p) => browser.open(p),
    form: (p, fields) => agent.post(p).type('form').send({ _csrf: csrf, ...fields }).redirects(0),
  };
}

let clients = 0;

/**
 * Registers an automation client with `admin:<role>` scopes and gets a client-credentials token for
 * them. With several instances behind one issuer, `via` is the registering instance's own address:
 * another instance learns of the new client only when the announcement reaches it.
 */
export async function adminToken(
  stack: Stack,
  roles: readonly AdminRole[],
  opts: { clientId?: string; registered?: readonly AdminRole[]; via?: string } = {},
): Promise<{ token: string; clientId: string; secret: string }> {
  const clientId = opts.clientId ?? `admin-bot-${process.pid}-${++clients}`;
  const secret = generateClientSecret();
  const registered = opts.registered ?? roles;
  await stack.ctx.register(
    {
      client_id: clientId,
      client_name: `Automation ${clientId}`,
      client_secret: secret,
      grant_types: ['client_credentials'],
      subject_type: 'public',
      scope: registered.map((r) => `admin:${r}`).join(' '),
    },
    'test',
  );
  const res = await request(opts.via ?? stack.issuer)
    .post('/token')
    .auth(clientId, secret)
    .type('form')
    .send({ grant_type: 'client_credentials', scope: roles.map((r) => `admin:${r}`).join(' ') });
  assert.equal(res.status, 200, res.text);
  return { token: res.body.access_token as string, clientId, secret };
}
