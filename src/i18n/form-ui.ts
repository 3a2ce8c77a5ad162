/** The words of the form fields and buttons every login method may share (the kit's fields). */
import type { Text } from './text.ts';

export const formUi = {
  fieldIdNumber: { 'zh-CN': '身份证号码', en: 'Resident ID number' },
  fieldIdNumberHint: { 'zh-CN': '18 位，最后一位可能是 X', en: '18 characters; the last may be X' },
  fieldName: { 'zh-CN': '姓名', en: 'Full name' },
  fieldPhone: { 'zh-CN': '手机号码', en: 'Mobile number' },
  fieldSmsCode: { 'zh-CN': '短信验证码', en: 'Code from the text message' },
  formSignIn: { 'zh-CN': '登录', en: 'Sign in' },
  formSendCode: { 'zh-CN': '获取验证码', en: 'Send me a code' },
} as const satisfies Record<string, Text>;
