/** Drives gov-eid through the real QR page, playing the citizen's eID app against the sandbox. */
import assert from 'node:assert/strict';
import type { MethodDriver, Page } from '../contract/driver.ts';

const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));

/** The QR payload, offered as "open on this device" on our waiting page. */
export function qrUrlOf(page: Page): string {
  const m = page.text.match(/<a href="(https?:\/\/[^"]+)" target="_blank"/);
  assert.ok(m, `a QR page with an "open on this device" link (status ${page.status})`);
  return unescape(m[1]!);
}

export function requestIdOf(page: Page): string {
  return new URL(qrUrlOf(page)).searchParams.get('r')!;
}

/** Our waiting page's no-JavaScript "check again" link. */
export function pollPathOf(page: Page): string {
  const m = page.text.match(/href="(\/interaction\/[^"]+\/method\/gov-eid\?step=poll)"/);
  assert.ok(m, 'a waiting page with a poll link');
  return unescape(m[1]!);
}

/** Opens the QR on "the phone" (the simulated app page) and confirms as `citizen`. */
export async function confirmInApp(qrUrl: string, citizen: string, mode: 'password' | 'face' = 'password'): Promise<Response> {
  const page = await fetch(qrUrl);
  if (page.status !== 200) return page;
  const html = await page.text();
  const action = unescape(html.match(/<form method="post" action="([^"]+)"/)![1]!);
  const r = unescape(html.match(/<input type="hidden" name="r" value="([^"]+)">/)![1]!);
  return fetch(action, { method: 'POST', body: new URLSearchParams({ r, citizen, mode }) });
}

export const driver: MethodDriver = {
  method: 'gov-eid',
  authority: 'eid',
  citizen: 'ma-jun',
  // the platform vouches for the ID number: the person is enrolled on first sight
  async prepare() {},
  async signIn({ browser }, first) {
    assert.equal(first.status, 200, first.text.slice(0, 300));
    // the app step fails too while the platform is down; the waiting page then shows why
    await confirmInApp(qrUrlOf(first), 'ma-jun').catch(() => undefined);
    return browser.open(pollPathOf(first));
  },
};
