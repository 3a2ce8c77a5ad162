/** Error codes and page words of the `bank-card` method (zh-CN and en). */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {
  bank_card_malformed: {
    'zh-CN': '银行卡号应为 16 到 19 位数字。',
    en: 'A bank card number has 16 to 19 digits.',
  },
  bank_card_luhn: {
    'zh-CN': '银行卡号校验不通过，请核对卡号后重新输入。',
    en: 'This card number does not check out. Please check it and try again.',
  },
  bank_card_mismatch: {
    'zh-CN': '姓名、身份证号码、银行卡号与预留手机号不一致，请核对后重试。',
    en: 'The name, ID number, card number and the phone registered with the bank do not match. Please check and try again.',
  },
  bank_card_not_found: {
    'zh-CN': '发卡银行未查到该卡，请核对卡号或换一张借记卡。',
    en: 'The bank does not know this card. Please check the number or use another debit card.',
  },
  bank_card_frozen: {
    'zh-CN': '该银行卡已冻结或挂失，无法用于登录。请联系发卡银行，或换一张卡。',
    en: 'This card is frozen or reported lost and cannot be used to sign in. Please contact your bank or use another card.',
  },
} as const satisfies Record<string, Text>;

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'bank-card.cardNumber': { 'zh-CN': '银行卡号', en: 'Bank card number' },
  'bank-card.cardNumberHint': { 'zh-CN': '本人名下的借记卡，16 到 19 位', en: 'A debit card in your name, 16 to 19 digits' },
  'bank-card.reservedPhone': { 'zh-CN': '银行预留手机号', en: 'Mobile number registered with the bank' },
  'bank-card.detailsTitle': { 'zh-CN': '银行卡验证登录', en: 'Sign in with your bank card' },
  'bank-card.detailsSubmit': { 'zh-CN': '验证并获取验证码', en: 'Check and send me a code' },
  'bank-card.detailsNote': {
    'zh-CN': '我们会请发卡银行核对这四项信息，再向银行预留手机号发送验证码。',
    en: 'We ask your bank to check these four details, then text a code to the number the bank has on record.',
  },
  'bank-card.codeTitle': { 'zh-CN': '输入银行预留手机号收到的验证码', en: 'Enter the code sent to the number registered with your bank' },
  'bank-card.label': { 'zh-CN': '银行卡验证', en: 'Bank card' },
  'bank-card.description': { 'zh-CN': '本人名下的借记卡和银行预留手机号', en: 'A debit card in your name and the phone your bank has on record' },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  bank_card_mismatch: 401,
  bank_card_frozen: 403,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
