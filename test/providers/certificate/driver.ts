import type { MethodDriver } from '../contract/driver.ts';
import { signWithSimulator } from './helpers.ts';

export const driver: MethodDriver = {
  method: 'certificate',
  authority: 'ca',
  citizen: 'liu-yang',
  // the CA vouches for the ID number: the first sign-in enrols the person
  async prepare() {},
  signIn: ({ browser }, first) => signWithSimulator(browser, first, 'liu-yang:valid'),
};
