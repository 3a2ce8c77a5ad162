/** Error codes and page words of the `wechat` method (zh-CN and en). */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {
  wechat_code_invalid: {
    'zh-CN': '微信授权码无效或已使用，请重新扫码登录。',
    en: 'The WeChat authorisation is not valid or was already used. Please scan the code again.',
  },
  wechat_denied: {
    'zh-CN': '您在微信中拒绝了授权。可以重新扫码，或换一种方式登录。',
    en: 'You declined the authorisation in WeChat. You can scan again or choose another way to sign in.',
  },
} as const satisfies Record<string, Text>;

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'wechat.label': { 'zh-CN': '微信', en: 'WeChat' },
  'wechat.description': { 'zh-CN': '微信扫码登录，需先在“我的账号”中绑定', en: 'Scan with WeChat; link it under “My account” first' },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  wechat_code_invalid: 401,
  wechat_denied: 403,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
