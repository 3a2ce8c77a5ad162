import type { MethodDriver } from '../contract/driver.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { ensureEnrolled, faceSignIn } from './steps.ts';

const WHO = 'xu-li';

export const driver: MethodDriver = {
  method: 'face',
  authority: 'face',
  citizen: WHO,
  prepare: ({ stack }) => ensureEnrolled(stack, WHO),
  signIn: ({ browser }, first) => faceSignIn(browser, first, citizen(WHO), 'match'),
};
