import type { MethodDriver } from '../contract/driver.ts';
import { follow, replayCallback } from '../contract/callbacks.ts';
import { simulatorReturn } from './helpers.ts';

export const driver: MethodDriver = {
  method: 'certificate',
  authority: 'ca',
  citizen: 'liu-yang',
  // the CA vouches for the ID number: the first sign-in enrols the person
  async prepare() {},
  // the last step is the signing software returning to our callback: the first page links to it
  begin: async (_t, first) => first,
  finish: async ({ browser }, at) => follow(browser, await simulatorReturn(at, 'liu-yang:valid')),
  wrong: {
    what: 'a signature by a revoked certificate',
    answer: async ({ browser }, at) => browser.open(await simulatorReturn(at, 'ma-jun:revoked')),
    refused: { status: 401, code: /cert_revoked/ },
  },
  garbage: {
    what: 'a callback with a signature and certificate that are not base64',
    send: ({ browser, uid }) => browser.open(`/interaction/${uid}/callback/certificate?signature=%00%3Cscript%3E&certificate=${'x'.repeat(300)}`),
  },
  expiry: { refused: { status: 400, code: /challenge_expired/ } },
  exhaust: { skip: 'nothing is guessed: each signature is over a one-time nonce and is checked once' },
  replay: { again: ({ browser }) => replayCallback(browser), refused: { status: 400, code: /interaction_expired/ } },
};
