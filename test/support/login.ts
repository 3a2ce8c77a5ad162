/** Shared steps: enrol a synthetic citizen directly, and sign in through the real password page. */
import assert from 'node:assert/strict';
import type { Stack } from './stack.ts';
import type { Browser } from './browser.ts';
import { citizen, type Citizen } from '../../src/sandbox/citizens.ts';

export async function enrolCitizen(stack: Stack, key: string, password: string): Promise<Citizen> {
  const c = citizen(key);
  await stack.ctx.identity.enrol(c.idNumber, {
    name: c.name,
    phone: c.phone ?? undefined,
    proofing: 'remote',
    credentials: [{ method: 'id-card-password', identifier: c.idNumber, secretHash: await stack.secrets.hash(password) }],
  });
  return c;
}

/** From a chooser page: open the password method and submit it. Returns the next page or redirect. */
export async function passwordLogin(browser: Browser, chooserHtml: string, idNumber: string, password: string) {
  const link = chooserHtml.match(/href="(\/interaction\/[^"]+\/method\/id-card-password)"/);
  assert.ok(link, 'the chooser offers the password method');
  const form = await browser.open(link[1]!);
  assert.equal(form.status, 200);
  return browser.submit(form.text, /method\/id-card-password/, { id_number: idNumber, password });
}
