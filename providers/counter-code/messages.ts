/** Error codes and page words of the `counter-code` method (zh-CN and en): it has none of its own, the core's cover it. */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {} as const satisfies Record<string, Text>;

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'counter-code.code': { 'zh-CN': '窗口码', en: 'Counter code' },
  'counter-code.codeHint': { 'zh-CN': '纸条上的 8 位字母数字，不区分大小写', en: 'The 8 letters and digits on your slip; case does not matter' },
  'counter-code.password': { 'zh-CN': '设置密码（可不填）', en: 'Choose a password (optional)' },
  'counter-code.passwordHint': {
    'zh-CN': '至少 8 位，包含字母和数字。设置后可用身份证号码 + 密码自行登录。',
    en: 'At least 8 characters with letters and digits; then you can sign in with your ID number and password.',
  },
  'counter-code.codeTitle': { 'zh-CN': '输入窗口码', en: 'Enter your counter code' },
  'counter-code.codeNote': {
    'zh-CN': '窗口码由社区事务受理服务中心工作人员当面发放，只能使用一次。',
    en: 'Counter codes are handed out in person at a community service centre and work once.',
  },
  'counter-code.passwordTitle': { 'zh-CN': '设置登录密码（可选）', en: 'Choose a password (optional)' },
  'counter-code.passwordNote': { 'zh-CN': '不想设置可以直接点“继续”。', en: 'To skip, just press “Continue”.' },
  'counter-code.label': { 'zh-CN': '我有窗口码', en: 'I have a counter code' },
  'counter-code.description': { 'zh-CN': '没有手机？到服务中心窗口领取', en: 'No phone? Get one at a service centre counter' },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
