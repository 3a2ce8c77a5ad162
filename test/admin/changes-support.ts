/** Change-request tests: admins signed in to the console (level 3, by certificate) and calls to the admin API as them. */
import assert from 'node:assert/strict';
import type { Stack } from '../support/stack.ts';
import { Browser } from '../support/browser.ts';
import { signWithSimulator } from '../providers/certificate/helpers.ts';
import { citizen } from '../../src/sandbox/citizens.ts';
import { createAdminDirectory } from '../../src/admin/admin-directory.ts';
import type { AdminRole } from '../../src/admin/roles.ts';

export interface ConsoleAdmin {
  key: string;
  personId: string;
  actorId: string;
  browser: Browser;
  csrf: string;
  get(path: string): Promise<{ status: number; body: any; text: string; headers: Record<string, string> }>;
  post(path: string, body: unknown): Promise<{ status: number; body: any; text: string }>;
  /** a console form, sent as the page would (urlencoded, with the CSRF field) */
  form(path: string, fields: Record<string, string | string[]>): Promise<{ status: number; text: string; location?: string }>;
}

/** Makes the citizen `key` an admin with `roles` (as the CLI would), then signs them in to /admin by certificate. */
export async function consoleAdmin(stack: Stack, key: string, roles: AdminRole[]): Promise<ConsoleAdmin> {
  const c = citizen(key);
  const personId = await stack.ctx.audit.transaction(
    async (tx) => (await stack.ctx.identity.enrol(c.idNumber, { name: c.name, proofing: 'in_person', credentials: [] }, tx)).personId,
  );
  await createAdminDirectory(stack.ctx.db).set(personId, { roles, active: true }, 'cli:test');
  const browser = new Browser(stack.issuer);
  const chooser = await browser.open('/admin');
  const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/certificate)"/);
  assert.ok(link, `the admin sign-in offers the certificate: ${chooser.text.slice(0, 300)}`);
  const signedIn = await signWithSimulator(browser, await browser.open(link[1]!), `${key}:valid`);
  assert.equal(signedIn.status, 200, signedIn.text.slice(0, 500));
  const me = await browser.agent.get('/admin/api/me');
  assert.equal(me.status, 200, me.text);
  const csrf = me.body.csrf_token as string;
  const agent = browser.agent;
  return {
    key,
    personId,
    actorId: `person:${personId}`,
    browser,
    csrf,
    get: async (path) => {
      const r = await agent.get(path);
      return { status: r.status, body: r.body, text: r.text, headers: r.headers as Record<string, string> };
    },
    post: async (path, body) => {
      const r = await agent.post(path).set('X-CSRF-Token', csrf).send(body as object);
      return { status: r.status, body: r.body, text: r.text };
    },
    form: async (path, fields) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ _csrf: csrf, ...fields })) for (const x of [v].flat()) params.append(k, x);
      const r = await agent.post(path).type('form').send(params.toString()).redirects(0);
      return { status: r.status, text: r.text, location: r.headers.location };
    },
  };
}

/** How many audit rows of `type` the trail holds (chained or still in the outbox). */
export async function auditCount(stack: Stack, type: string, where = 'true', params: unknown[] = []): Promise<number> {
  const { rows } = await stack.ctx.db.query<{ n: string }>(
    `SELECT ((SELECT count(*) FROM audit_log WHERE type = $1 AND ${where}) + (SELECT count(*) FROM audit_outbox WHERE type = $1 AND ${where}))::text AS n`,
    [type, ...params],
  );
  return Number(rows[0]!.n);
}
