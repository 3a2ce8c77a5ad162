/** Error codes and page words of the `gov-eid` method (zh-CN and en). */
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

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'gov-eid.label': { 'zh-CN': '国家网络身份认证（网证）', en: 'National eID (CTID)' },
  'gov-eid.description': {
    'zh-CN': '用“国家网络身份认证” App 扫码，口令或刷脸确认',
    en: 'Scan with the national eID app and confirm with your eID password or face',
  },
  'gov-eid.qrTitle': { 'zh-CN': '用国家网络身份认证 App 扫码登录', en: 'Scan with the national eID app' },
  'gov-eid.qrNote': {
    'zh-CN': '打开“国家网络身份认证” App 扫描二维码，核对请求方后用网证口令或刷脸确认。',
    en: 'Open the national eID app, scan the code, check who is asking, and confirm with your eID password or your face.',
  },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  gov_eid_invalid_assertion: 401,
  gov_eid_replay: 401,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
