import assert from 'node:assert/strict';
import type { MethodDriver, Page, SignInEnv } from '../contract/driver.ts';
import type { Stack } from '../../support/stack.ts';
import { enrolCitizen } from '../../support/login.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { appSession, callApi, pollLink, tokenOn } from './city-app.ts';

const WHO = 'ouyang-xue';
const PASSWORD = 'CityApp2026scan';

// one city-app session per service: signing in to the app is not what the contract tests
const sessions = new WeakMap<Stack, Promise<string>>();
const session = (stack: Stack) => {
  if (!sessions.has(stack)) sessions.set(stack, appSession(stack, citizen(WHO), PASSWORD));
  return sessions.get(stack)!;
};

/** The city app answers the QR on `at`, then the waiting page polls. */
async function answerAndPoll({ stack, browser }: SignInEnv, at: Page, answer: 'approve' | 'reject'): Promise<Page> {
  const res = await callApi(stack, answer, await session(stack), { token: tokenOn(at.text) });
  assert.equal(res.status, 200, res.text);
  return browser.open(pollLink(at.text));
}

export const driver: MethodDriver = {
  method: 'app-scan',
  // no outside authority: the city app calls us, and our side never calls the sandbox
  authority: undefined,
  citizen: WHO,
  carries: { level: 1, amr: ['pwd'], why: 'the app session\'s level and amr (at most the method\'s): the city app was signed in to by password' },
  async prepare({ stack }) {
    if (!(await stack.ctx.identity.findCredential('id-card-password', citizen(WHO).idNumber))) await enrolCitizen(stack, WHO, PASSWORD);
  },
  // the first page is the QR; the last step is the app's answer and the page's next poll
  begin: async (_t, first) => first,
  finish: (t, at) => answerAndPoll(t, at, 'approve'),
  wrong: {
    what: 'a QR the person rejects in the city app',
    answer: (t, at) => answerAndPoll(t, at, 'reject'),
    refused: { status: 403, code: /app_scan_rejected/ },
  },
  garbage: {
    what: 'a poll with a step and token of nobody\'s',
    send: ({ browser, uid }) => browser.open(`/interaction/${uid}/method/app-scan?step=%00%3Cscript%3E&token=${'x'.repeat(300)}`),
  },
  expiry: { refused: { status: 400, code: /challenge_expired/ } },
  exhaust: { skip: 'nothing is guessed: the person answers in the city app, signed in there; a page\'s polls are bounded by the QR lifetime' },
  replay: {
    // the app's approval sent again for the same QR
    async again({ stack }, at) {
      const res = await callApi(stack, 'approve', await session(stack), { token: tokenOn(at.text) });
      return { status: res.status, text: res.text, path: '/api/methods/app-scan/approve' };
    },
    refused: { status: 410, code: /app_scan_expired/ },
  },
};
