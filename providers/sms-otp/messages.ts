/** Error codes and page words of the `sms-otp` method (zh-CN and en). */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {
  sms_otp_daily_limit: {
    'zh-CN': '今天发送的验证码已达上限，请明天再试或换一种登录方式。',
    en: 'Too many codes have been sent today. Please try again tomorrow or choose another way to sign in.',
  },
} as const satisfies Record<string, Text>;

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'sms-otp.phoneTitle': { 'zh-CN': '手机号码 + 短信验证码登录', en: 'Sign in with your mobile number and a text code' },
  'sms-otp.phoneNote': { 'zh-CN': '仅限已绑定通办 ID 的手机号码。', en: 'Only for mobile numbers linked to a Tongban ID.' },
  'sms-otp.codeTitle': { 'zh-CN': '如果该号码已绑定通办 ID，验证码已发送', en: 'If this number is linked to a Tongban ID, a code is on its way' },
  'sms-otp.label': { 'zh-CN': '手机号码 + 短信验证码', en: 'Mobile number + text code' },
  'sms-otp.description': { 'zh-CN': '已绑定手机号码的居民', en: 'For residents who linked their mobile number' },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  sms_otp_daily_limit: 429,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
