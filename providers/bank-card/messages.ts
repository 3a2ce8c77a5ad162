/** Error codes of the `bank-card` method (zh-CN and en). */
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

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  bank_card_mismatch: 401,
  bank_card_frozen: 403,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
}
