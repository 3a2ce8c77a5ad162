/** Drives gov-eid through the real QR page, playing the citizen's eID app against the sandbox. */
import assert from 'node:assert/strict';
import type { MethodDriver, Page, SignInEnv } from '../contract/driver.ts';
import { answerVerbatim, answerWith, assertionOf } from './steps.ts';

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

/** The platform's answer has been made (by `answer`); the waiting page polls. */
async function poll(browser: SignInEnv['browser'], at: Page, answer: Promise<unknown>): Promise<Page> {
  // the app step fails too while the platform is down; the waiting page then shows why
  await answer.catch(() => undefined);
  return browser.open(pollPathOf(at));
}

export const driver: MethodDriver = {
  method: 'gov-eid',
  authority: 'eid',
  citizen: 'ma-jun',
  carries: { level: 3, amr: ['hwk', 'pwd'], why: 'the eID (hwk) plus the mode the person confirmed with in the app: here its password' },
  // the platform vouches for the ID number: the person is enrolled on first sight
  async prepare() {},
  // the first page is the QR; the last step is the app's confirmation and the page's next poll
  async begin(_t, first) {
    assert.equal(first.status, 200, first.text.slice(0, 300));
    return first;
  },
  finish: ({ browser }, at) => poll(browser, at, confirmInApp(qrUrlOf(at), 'ma-jun')),
  wrong: {
    what: 'an assertion the platform made for another app',
    answer: ({ stack, browser }, at) => poll(browser, at, answerWith(stack, at, 'ma-jun', { aud: 'some-other-app' })),
    refused: { status: 401, code: /gov_eid_invalid_assertion/ },
  },
  garbage: {
    what: 'a poll with a step of nobody\'s',
    send: ({ browser, uid }) => browser.open(`/interaction/${uid}/method/gov-eid?step=%00%3Cscript%3E&r=${'x'.repeat(300)}`),
  },
  expiry: { refused: { status: 400, code: /challenge_expired/ } },
  exhaust: { skip: 'nothing is guessed: the platform signs the answer; a page\'s polls are bounded by maxPolls' },
  replay: {
    // the signed assertion that signed in, answered verbatim to a new interaction's QR
    async again({ stack, fresh }, at) {
      const used = await assertionOf(stack, requestIdOf(at));
      const other = await fresh();
      return poll(other.t.browser, other.first, answerVerbatim(stack, other.first, used));
    },
    refused: { status: 401, code: /gov_eid_replay/ },
  },
};
