/** Error codes and page words of the `social-security-card` method (zh-CN and en). */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {
  ss_card_failed: {
    'zh-CN': '社保卡卡号或密码不正确。',
    en: 'The card number or the PIN is not correct.',
  },
  ss_card_blocked: {
    'zh-CN': '该社保卡已挂失、冻结或锁定，不能用于登录。请到社保服务网点办理，或换一种方式登录。',
    en: 'This card is reported lost, frozen or locked and cannot be used to sign in. Please visit a social-security office, or sign in another way.',
  },
  ss_card_number_malformed: {
    'zh-CN': '社保卡卡号格式不正确，请按卡面上的卡号填写（字母和数字）。',
    en: 'The card number is not in the right format: letters and digits as printed on the card.',
  },
  ss_pin_malformed: {
    'zh-CN': '社保卡密码应为 6 位数字。',
    en: 'The card PIN has six digits.',
  },
} as const satisfies Record<string, Text>;

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'social-security-card.cardNumber': { 'zh-CN': '社会保障卡卡号', en: 'Social-security card number' },
  'social-security-card.cardNumberHint': { 'zh-CN': '卡面上的卡号，例如 SH12345678', en: 'The number printed on the card, e.g. SH12345678' },
  'social-security-card.pin': { 'zh-CN': '社保卡密码', en: 'Card PIN' },
  'social-security-card.pinHint': { 'zh-CN': '6 位数字服务密码', en: 'Six digits' },
  'social-security-card.title': { 'zh-CN': '社保卡登录', en: 'Sign in with your social-security card' },
  'social-security-card.note': {
    'zh-CN': '卡号和密码由社保中心核验；密码加密后发送，本站不保存。',
    en: 'The social-security authority checks the card and PIN; the PIN is sent encrypted and never kept here.',
  },
  'social-security-card.label': { 'zh-CN': '社保卡', en: 'Social-security card' },
  'social-security-card.description': { 'zh-CN': '社会保障卡卡号 + 密码', en: 'Card number and PIN' },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  ss_card_failed: 401,
  ss_card_blocked: 403,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
