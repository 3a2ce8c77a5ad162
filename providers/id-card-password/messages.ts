/** Error codes and page words of the `id-card-password` method (zh-CN and en): it has none of its own, the core's cover it. */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {} as const satisfies Record<string, Text>;

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'id-card-password.password': { 'zh-CN': '密码', en: 'Password' },
  'id-card-password.newPasswordHint': { 'zh-CN': '至少 8 位，包含字母和数字', en: 'At least 8 characters, with letters and digits' },
  'id-card-password.loginTitle': { 'zh-CN': '身份证号码 + 密码登录', en: 'Sign in with ID number and password' },
  'id-card-password.forgotten': { 'zh-CN': '忘记密码？', en: 'Forgotten your password?' },
  'id-card-password.registerTitle': { 'zh-CN': '开通通办 ID', en: 'Register for Tongban ID' },
  'id-card-password.registerNote': {
    'zh-CN': '我们会向公安人口库核验您的姓名和身份证号码，并向手机发送验证码。',
    en: 'We check your name and ID number with the population registry and send a code to your phone.',
  },
  'id-card-password.codeTitle': { 'zh-CN': '输入短信验证码', en: 'Enter the code from the text message' },
  'id-card-password.codeSubmit': { 'zh-CN': '完成开通', en: 'Finish registration' },
  'id-card-password.label': { 'zh-CN': '身份证号码 + 密码', en: 'ID number + password' },
  'id-card-password.description': { 'zh-CN': '已开通通办 ID 的居民', en: 'For residents who have registered' },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
