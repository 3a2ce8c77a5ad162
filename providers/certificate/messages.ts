/** Error codes and page words of the `certificate` method (zh-CN and en). */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {
  cert_untrusted: {
    'zh-CN': '该数字证书不是由我们信任的 CA 签发的，或证书链已被改动。请使用政务认可的 CA 证书。',
    en: 'This certificate was not issued by a CA we trust, or its chain was altered. Please use a certificate from an approved CA.',
  },
  cert_expired: {
    'zh-CN': '该数字证书已过期或尚未生效，请到 CA 更新证书后再试。',
    en: 'This certificate has expired or is not valid yet. Please renew it with your CA and try again.',
  },
  cert_revoked: {
    'zh-CN': '该数字证书已被 CA 吊销，不能用于登录。如有疑问请联系签发证书的 CA。',
    en: 'This certificate has been revoked by its CA and cannot be used to sign in. Please contact the CA that issued it.',
  },
  cert_key_usage: {
    'zh-CN': '该证书不能用于签名登录，请在签名软件中选择您的签名证书。',
    en: 'This certificate cannot be used for signing in. Please choose your signing certificate in the signing software.',
  },
  cert_bad_signature: {
    'zh-CN': '签名验证未通过，请重新签名。',
    en: 'The signature could not be verified. Please sign again.',
  },
  cert_malformed: {
    'zh-CN': '签名软件返回的内容无法识别，请重新签名。',
    en: 'The answer from the signing software could not be read. Please sign again.',
  },
  cert_no_id_number: {
    'zh-CN': '该证书中没有有效的居民身份证号码，不能用于个人登录。',
    en: 'This certificate carries no valid resident ID number and cannot be used for a personal sign-in.',
  },
  cert_cancelled: {
    'zh-CN': '签名已取消。如需登录，请重新签名或换一种方式。',
    en: 'Signing was cancelled. Sign again to continue, or choose another method.',
  },
} as const satisfies Record<string, Text>;

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'certificate.waitTitle': { 'zh-CN': '使用数字证书（UKey）登录', en: 'Sign in with your digital certificate (UKey)' },
  'certificate.waitNote': {
    'zh-CN': '请插入 UKey，打开签名软件，选择您的证书并输入 PIN 码完成签名。',
    en: 'Insert your UKey, open the signing software, choose your certificate and enter its PIN to sign.',
  },
  'certificate.label': { 'zh-CN': '数字证书（UKey）', en: 'Digital certificate (UKey)' },
  'certificate.description': { 'zh-CN': '持有 CA 数字证书 UKey 的居民', en: 'For residents with a CA certificate on a UKey' },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  cert_untrusted: 401,
  cert_expired: 401,
  cert_revoked: 401,
  cert_key_usage: 401,
  cert_bad_signature: 401,
  cert_no_id_number: 401,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
