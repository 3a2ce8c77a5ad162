/**
 * Every login method's simulated authority, one line each, registered apart from the methods
 * themselves: only the sandbox process, the development start and tests load this file, so the
 * service never loads a simulator or the synthetic citizens in production.
 */
import type { MethodSandbox } from './kit/index.ts';
import { startSandbox as startSandboxServer, type RunningSandbox } from '../src/sandbox/server.ts';
import { sandbox as idCardPassword } from './id-card-password/sandbox.ts';
import { sandbox as smsOtp } from './sms-otp/sandbox.ts';
import { sandbox as bankCard } from './bank-card/sandbox.ts';
import { sandbox as alipay } from './alipay/sandbox.ts';
import { sandbox as wechat } from './wechat/sandbox.ts';
import { sandbox as govEid } from './gov-eid/sandbox.ts';
import { sandbox as socialSecurityCard } from './social-security-card/sandbox.ts';
import { sandbox as housingFund } from './housing-fund/sandbox.ts';
import { sandbox as face } from './face/sandbox.ts';
import { sandbox as certificate } from './certificate/sandbox.ts';
import { sandbox as appScan } from './app-scan/sandbox.ts';
import { sandbox as counterCode } from './counter-code/sandbox.ts';

export type { RunningSandbox };

export const SANDBOXES: readonly MethodSandbox[] = [
  idCardPassword,
  smsOtp,
  bankCard,
  alipay,
  wechat,
  govEid,
  socialSecurityCard,
  housingFund,
  face,
  certificate,
  appScan,
  counterCode,
].filter((s): s is MethodSandbox => s !== undefined);

/** The sandbox authorities with every method's simulator mounted; see src/sandbox/server.ts. */
export function startSandbox(opts: Omit<Parameters<typeof startSandboxServer>[0], 'methods'>): Promise<RunningSandbox> {
  return startSandboxServer({ ...opts, methods: SANDBOXES });
}
