/** Error codes and page words of the `housing-fund` method (zh-CN and en). */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {
  hf_login_failed: {
    'zh-CN': '公积金账号或密码不正确。',
    en: 'The housing-fund account number or the password is not correct.',
  },
  hf_account_sealed: {
    'zh-CN': '该公积金账户已封存或停用，不能用于登录。请换一种方式登录。',
    en: 'This housing-fund account is sealed or inactive and cannot be used to sign in. Please sign in another way.',
  },
  hf_account_disabled: {
    'zh-CN': '该公积金账号在通办 ID 中已被停用。如有疑问请到服务窗口办理。',
    en: 'This housing-fund account has been disabled for Tongban ID. Please visit a service counter if you need help.',
  },
  hf_account_malformed: {
    'zh-CN': '公积金账号应为 12 位数字。',
    en: 'The housing-fund account number has 12 digits.',
  },
} as const satisfies Record<string, Text>;

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'housing-fund.account': { 'zh-CN': '公积金账号', en: 'Housing-fund account number' },
  'housing-fund.accountHint': { 'zh-CN': '12 位数字', en: '12 digits' },
  'housing-fund.password': { 'zh-CN': '公积金查询密码', en: 'Housing-fund password' },
  'housing-fund.title': { 'zh-CN': '公积金账号登录', en: 'Sign in with your housing-fund account' },
  'housing-fund.note': {
    'zh-CN': '账号和密码由住房公积金管理中心核验，本站不保存密码。',
    en: 'The housing-fund centre checks the account and password; the password is never kept here.',
  },
  'housing-fund.label': { 'zh-CN': '公积金账号', en: 'Housing-fund account' },
  'housing-fund.description': { 'zh-CN': '公积金账号 + 查询密码', en: 'Account number and password' },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  hf_login_failed: 401,
  hf_account_sealed: 403,
  hf_account_disabled: 403,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
