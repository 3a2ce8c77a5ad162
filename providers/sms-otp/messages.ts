/** Error codes of the `sms-otp` method (zh-CN and en). */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {
  sms_otp_daily_limit: {
    'zh-CN': '今天发送的验证码已达上限，请明天再试或换一种登录方式。',
    en: 'Too many codes have been sent today. Please try again tomorrow or choose another way to sign in.',
  },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  sms_otp_daily_limit: 429,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
}
