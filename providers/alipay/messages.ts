/** Error codes and page words of the `alipay` method (zh-CN and en). */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {
  alipay_code_invalid: {
    'zh-CN': '支付宝授权码无效或已使用，请重新用支付宝登录。',
    en: 'The Alipay authorisation is not valid or was already used. Please sign in with Alipay again.',
  },
  alipay_denied: {
    'zh-CN': '您已取消支付宝授权。可以重新授权，或换一种方式登录。',
    en: 'You cancelled the Alipay authorisation. You can authorise again or choose another way to sign in.',
  },
  alipay_signature: {
    'zh-CN': '支付宝返回的数据签名无效，暂时无法使用支付宝登录，请换一种方式。',
    en: 'Alipay’s answer did not carry a valid signature. Alipay sign-in is unavailable right now; please try another way.',
  },
} as const satisfies Record<string, Text>;

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'alipay.label': { 'zh-CN': '支付宝', en: 'Alipay' },
  'alipay.description': { 'zh-CN': '用支付宝账号登录，已实名的用户可直接开通', en: 'Sign in with your Alipay account; certified users are registered at once' },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  alipay_code_invalid: 401,
  alipay_denied: 403,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
