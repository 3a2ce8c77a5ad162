/** Steps the sms-otp and bank-card tests share: the sandbox outbox, failure control, store checks. */
import type { Stack } from '../../support/stack.ts';
import type { Browser } from '../../support/browser.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { challengeKey } from '../../../src/interaction/method-context.ts';

export interface Sms {
  phone: string;
  text: string;
}

/** Messages to `phone`, newest first. */
export async function outbox(stack: Stack, phone: string): Promise<Sms[]> {
  return (await (await fetch(`${stack.sandboxUrl}/sms/outbox.json?phone=${phone}`)).json()) as Sms[];
}

/** The code in the newest message to `phone`. */
export async function latestCode(stack: Stack, phone: string): Promise<string> {
  const [last] = await outbox(stack, phone);
  const code = last?.text.match(/(\d{6})/)?.[1];
  if (!code) throw new Error(`no code was texted to ${phone}`);
  return code;
}

/** A six-digit code other than `code`. */
export const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

export async function failNext(stack: Stack, authority: string, mode: string, count: number): Promise<void> {
  await fetch(`${stack.sandboxUrl}/control/fail`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authority, mode, count }),
  });
}

export async function resetSandbox(stack: Stack): Promise<void> {
  await fetch(`${stack.sandboxUrl}/control/reset`, { method: 'POST' });
  await fetch(`${stack.sandboxUrl}/sms/outbox`, { method: 'DELETE' });
}

export const count = async (stack: Stack, table: string) =>
  Number((await stack.ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);

/** Binds a citizen's phone to them for sms-otp, the way registration by password does. */
export async function bindPhone(stack: Stack, key: string): Promise<void> {
  const c = citizen(key);
  if (await stack.ctx.identity.findCredential('sms-otp', c.phone!)) return;
  await stack.ctx.identity.enrol(c.idNumber, {
    name: c.name,
    phone: c.phone!,
    proofing: 'remote',
    credentials: [{ method: 'sms-otp', identifier: c.phone! }],
  });
}

/** Opens `method` from a fresh chooser; returns the page and the interaction id. */
export async function openMethod(browser: Browser, chooserUrl: string, method: string): Promise<{ text: string; uid: string }> {
  const chooser = await browser.open(chooserUrl);
  const link = chooser.text.match(new RegExp(`href="(/interaction/([^"/]+)/method/${method})"`));
  if (!link) throw new Error(`the chooser does not offer ${method} (${chooser.status})`);
  return { text: (await browser.open(link[1]!)).text, uid: link[2]! };
}

/** Drops a method's pending challenge, as its TTL would. */
export async function expireChallenge(stack: Stack, uid: string, method: string): Promise<void> {
  const base = challengeKey(uid, method, 'login');
  await stack.ctx.store.del([base, `${base}:n`]);
}
