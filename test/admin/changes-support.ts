/** Change-request tests: an admin signed in to the console (test/support/admin.ts) with short calls to the API and the pages. */
import type { Stack } from '../support/stack.ts';
import type { Browser } from '../support/browser.ts';
import { adminConsole, createAdmin } from '../support/admin.ts';
import type { AdminRole } from '../../src/admin/roles.ts';

type Reply = { status: number; body: any; text: string; headers: Record<string, string> };

export interface ConsoleAdmin {
  key: string;
  personId: string;
  actorId: string;
  browser: Browser;
  csrf: string;
  get(path: string): Promise<Reply>;
  post(path: string, body: unknown): Promise<Reply>;
  /** a console form, sent as the page would (urlencoded, repeated names for lists, with the CSRF field) */
  form(path: string, fields: Record<string, string | string[]>): Promise<{ status: number; text: string; location?: string }>;
}

const reply = (r: { status: number; body: unknown; text: string; headers: unknown }): Reply => ({ status: r.status, body: r.body, text: r.text, headers: r.headers as Record<string, string> });

/** Makes the citizen `key` an admin with `roles` (as the CLI would), then signs them in to /admin by certificate. */
export async function consoleAdmin(stack: Stack, key: string, roles: AdminRole[]): Promise<ConsoleAdmin> {
  const admin = await createAdmin(stack, key, roles);
  const c = await adminConsole(stack, key);
  return {
    key,
    personId: admin.personId,
    actorId: admin.actorId,
    browser: c.browser,
    csrf: c.csrf,
    get: async (path) => reply(await c.api.get(path)),
    post: async (path, body) => reply(await c.api.post(path).send(body as object)),
    form: async (path, fields) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ _csrf: c.csrf, ...fields })) for (const x of [v].flat()) params.append(k, x);
      const r = await c.browser.agent.post(path).type('form').send(params.toString()).redirects(0);
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
