import type { MethodDriver } from '../contract/driver.ts';
import { enrolCitizen } from '../../support/login.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';

const PASSWORD = 'Contract2026pass';

export const driver: MethodDriver = {
  method: 'id-card-password',
  citizen: 'wu-haoran',
  async prepare({ stack }) {
    if (!(await stack.ctx.identity.findCredential('id-card-password', citizen('wu-haoran').idNumber))) {
      await enrolCitizen(stack, 'wu-haoran', PASSWORD);
    }
  },
  signIn: ({ browser }, first) =>
    browser.submit(first.text, /method\/id-card-password/, { id_number: citizen('wu-haoran').idNumber, password: PASSWORD }),
};
