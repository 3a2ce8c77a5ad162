/** Error codes of the `gov-eid` method (zh-CN and en). */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {
  gov_eid_invalid_assertion: {
    'zh-CN': '网证认证结果无效（不是为本次登录签发的），请重新扫码。',
    en: 'The eID confirmation is not valid for this sign-in. Please scan the code again.',
  },
  gov_eid_replay: {
    'zh-CN': '该网证认证结果已被使用过，请重新扫码。',
    en: 'This eID confirmation has already been used. Please scan the code again.',
  },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  gov_eid_invalid_assertion: 401,
  gov_eid_replay: 401,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
}
