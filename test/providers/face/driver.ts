import type { MethodDriver, Page } from '../contract/driver.ts';
import type { Browser } from '../../support/browser.ts';
import { follow, replayCallback } from '../contract/callbacks.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import type { SampleKind } from '../../../providers/face/sandbox.ts';
import { capture, captureUrlOf, ensureEnrolled, submitConsent, submitDetails } from './steps.ts';

const WHO = 'xu-li';

/** The consent, the authority's capture with `sample`, and the way back to our callback. */
async function consentAndCapture(browser: Browser, consent: Page, sample: SampleKind): Promise<Page> {
  const next = await submitConsent(browser, consent);
  const url = captureUrlOf(next);
  return url ? follow(browser, await capture(url, sample)) : next;
}

export const driver: MethodDriver = {
  method: 'face',
  authority: 'face',
  citizen: WHO,
  prepare: ({ stack }) => ensureEnrolled(stack, WHO),
  // name and ID number; the last step is the consent, the capture and the way back
  begin: ({ browser }, first) => submitDetails(browser, first, citizen(WHO)),
  finish: ({ browser }, at) => consentAndCapture(browser, at, 'match'),
  wrong: {
    what: 'a face that does not match the ID number',
    answer: ({ browser }, at) => consentAndCapture(browser, at, 'mismatch'),
    refused: { status: 401, code: /face_no_match/ },
  },
  expiry: { refused: { status: 400, code: /challenge_expired/ } },
  // the configured capture sessions per interaction (sessionsPerInteraction, default 3)
  exhaust: { tries: 3, refused: { status: 429, code: /face_attempts_exhausted/ } },
  replay: { again: ({ browser }) => replayCallback(browser), refused: { status: 400, code: /interaction_expired/ } },
};
