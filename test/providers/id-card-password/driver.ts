import type { MethodDriver } from '../contract/driver.ts';
import { enrolCitizen } from '../../support/login.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';

const PASSWORD = 'Contract2026pass';
const idNumber = citizen('wu-haoran').idNumber;
const FORM = /method\/id-card-password/;

export const driver: MethodDriver = {
  method: 'id-card-password',
  citizen: 'wu-haoran',
  async prepare({ stack }) {
    if (!(await stack.ctx.identity.findCredential('id-card-password', idNumber))) await enrolCitizen(stack, 'wu-haoran', PASSWORD);
  },
  // one step: the first page is the form the last step is taken on
  begin: async (_t, first) => first,
  finish: ({ browser }, at) => browser.submit(at.text, FORM, { id_number: idNumber, password: PASSWORD }),
  wrong: {
    what: 'a wrong password',
    answer: ({ browser }, at) => browser.submit(at.text, FORM, { id_number: idNumber, password: 'Wrong2026pass' }),
    refused: { status: 401, code: /login_failed/ },
  },
  expiry: { skip: 'one step: nothing is held between two requests that could expire' },
  // the pair scope's threshold: five wrong tries per ID number and address, then a back-off
  exhaust: { tries: 5, refused: { status: 429, code: /rate_limited/ } },
  replay: { refused: { status: 400, code: /interaction_expired/ } },
};
