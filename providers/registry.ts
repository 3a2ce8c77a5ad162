/**
 * Every login method the service knows. Adding a method = a folder in providers/ and one line
 * here. config/methods.json (validated by each method's own schema) enables them.
 */
import { z } from 'zod';
import { ConfigError } from '../src/errors.ts';
import type { LoginMethod, MethodDefinition, MethodEnv, MethodSandbox } from './kit/index.ts';
import * as idCardPassword from './id-card-password/index.ts';
import * as idCardPasswordSandbox from './id-card-password/sandbox.ts';
import * as smsOtp from './sms-otp/index.ts';
import * as smsOtpSandbox from './sms-otp/sandbox.ts';
import * as bankCard from './bank-card/index.ts';
import * as bankCardSandbox from './bank-card/sandbox.ts';
import * as alipay from './alipay/index.ts';
import * as alipaySandbox from './alipay/sandbox.ts';
import * as wechat from './wechat/index.ts';
import * as wechatSandbox from './wechat/sandbox.ts';
import * as govEid from './gov-eid/index.ts';
import * as govEidSandbox from './gov-eid/sandbox.ts';
import * as socialSecurityCard from './social-security-card/index.ts';
import * as socialSecurityCardSandbox from './social-security-card/sandbox.ts';
import * as housingFund from './housing-fund/index.ts';
import * as housingFundSandbox from './housing-fund/sandbox.ts';
import * as face from './face/index.ts';
import * as faceSandbox from './face/sandbox.ts';
import * as certificate from './certificate/index.ts';
import * as certificateSandbox from './certificate/sandbox.ts';
import * as appScan from './app-scan/index.ts';
import * as appScanSandbox from './app-scan/sandbox.ts';
import * as counterCode from './counter-code/index.ts';
import * as counterCodeSandbox from './counter-code/sandbox.ts';

interface Entry {
  // each method's own config type; the registry only needs `enabled`
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definition: MethodDefinition<any>;
  sandbox?: MethodSandbox;
}

const ENTRIES: readonly Entry[] = [
  { definition: idCardPassword.method, sandbox: idCardPasswordSandbox.sandbox },
  { definition: smsOtp.method, sandbox: smsOtpSandbox.sandbox },
  { definition: bankCard.method, sandbox: bankCardSandbox.sandbox },
  { definition: alipay.method, sandbox: alipaySandbox.sandbox },
  { definition: wechat.method, sandbox: wechatSandbox.sandbox },
  { definition: govEid.method, sandbox: govEidSandbox.sandbox },
  { definition: socialSecurityCard.method, sandbox: socialSecurityCardSandbox.sandbox },
  { definition: housingFund.method, sandbox: housingFundSandbox.sandbox },
  { definition: face.method, sandbox: faceSandbox.sandbox },
  { definition: certificate.method, sandbox: certificateSandbox.sandbox },
  { definition: appScan.method, sandbox: appScanSandbox.sandbox },
  { definition: counterCode.method, sandbox: counterCodeSandbox.sandbox },
];

export const DEFINITIONS = ENTRIES.map((e) => e.definition);
export const SANDBOXES: readonly MethodSandbox[] = ENTRIES.flatMap((e) => (e.sandbox ? [e.sandbox] : []));

const methodsFile = z.record(z.string(), z.unknown());

/** The enabled methods, in registry order; a method missing from the settings uses its defaults. */
export function createMethods(settings: unknown, env: MethodEnv): Map<string, LoginMethod> {
  const parsed = methodsFile.safeParse(settings ?? {});
  if (!parsed.success) throw new ConfigError('config/methods.json: must be an object keyed by method id');
  const known = new Set(DEFINITIONS.map((d) => d.id));
  for (const id of Object.keys(parsed.data)) {
    if (!known.has(id)) throw new ConfigError(`config/methods.json: unknown method "${id}" (known: ${[...known].join(', ')})`);
  }
  const methods = new Map<string, LoginMethod>();
  for (const def of DEFINITIONS) {
    const r = def.configSchema.safeParse(parsed.data[def.id] ?? {});
    if (!r.success) {
      const detail = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new ConfigError(`config/methods.json: "${def.id}": ${detail}`);
    }
    if (r.data.enabled) methods.set(def.id, def.create(r.data, env));
  }
  return methods;
}
