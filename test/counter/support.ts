/** Counter tests: centres, staff signing in with their certificates, and console forms. */
import assert from 'node:assert/strict';
import type { Stack } from '../support/stack.ts';
import { Browser } from '../support/browser.ts';
import type { Page } from '../providers/contract/driver.ts';
import { signWithSimulator } from '../providers/certificate/helpers.ts';
import { addCentres, addStaff } from '../../src/counter/register-staff.ts';
import { citizen } from '../../src/sandbox/citizens.ts';

export async function seedCentres(stack: Stack): Promise<void> {
  await addCentres(stack.ctx, [
    { id: 'huangpu-1', name: '黄浦区第一社区事务受理服务中心', district: '黄浦区' },
    { id: 'pudong-3', name: '浦东新区第三社区事务受理服务中心', district: '浦东新区' },
  ]);
  const staff = (key: string, centre: string, role: string, display: string) => {
    const c = citizen(key);
    return { id_number: c.idNumber, name: c.name, centre, role, display_name: display };
  };
  await addStaff(stack.ctx, [
    staff('yang-lei', 'huangpu-1', 'counter_staff', '3 号窗口 杨'),
    staff('huang-qiang', 'huangpu-1', 'counter_supervisor', '值班主管 黄'),
    staff('liu-yang', 'pudong-3', 'counter_supervisor', '值班主管 刘'),
  ]);
}

/** Signs a staff member in to the console with their certificate (level 3). */
export async function staffConsole(stack: Stack, key: string): Promise<{ browser: Browser; page: Page }> {
  const browser = new Browser(stack.issuer);
  const chooser = await browser.open('/counter');
  const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/certificate)"/);
  assert.ok(link, 'the console asks for a level-3 method');
  const signedIn = await signWithSimulator(browser, await browser.open(link[1]!), `${key}:valid`);
  assert.equal(signedIn.status, 200, signedIn.text.slice(0, 500));
  // the sign-in ends on a page of ours whose script follows this link: a same-site step to the console
  assert.match(signedIn.text, /<a class="button" href="\/counter" data-forward>/);
  const page = await browser.open('/counter');
  assert.equal(page.status, 200, page.text.slice(0, 500));
  assert.match(page.text, /<h1>窗口工作台 · /);
  return { browser, page };
}

export async function act(browser: Browser, page: Page, action: RegExp, fields: Record<string, string>): Promise<Page> {
  return browser.submit(page.text, action, fields);
}

export function verifyFields(key: string, extra: Record<string, string> = {}): Record<string, string> {
  const c = citizen(key);
  return { id_number: c.idNumber, name: c.name, card_expiry: '2036-05-01', face_match: 'yes', reason: '本人到窗口办理', ...extra };
}

/** Records the keys the service writes to and deletes from its real ephemeral store (and passes every call on). */
export function watchStoreWrites(stack: Stack): { written: string[]; deleted: string[] } {
  const seen = { written: [] as string[], deleted: [] as string[] };
  const store = stack.ctx.store;
  const set = store.set.bind(store);
  const del = store.del.bind(store);
  store.set = async (key, value, ttl) => {
    seen.written.push(key);
    return set(key, value, ttl);
  };
  store.del = async (keys) => {
    seen.deleted.push(...keys);
    return del(keys);
  };
  return seen;
}
