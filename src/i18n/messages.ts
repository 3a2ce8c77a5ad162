/**
 * Every stable error code a person or client can see: the HTTP status it answers with and its
 * zh-CN and en text (`{name}` placeholders are filled from the error's params). The one lookup
 * over all text is `t` in ./ui.ts; this file fixes each code's status (`statusOf`).
 */
import type { CodedText, Lang, Text } from './text.ts';
import { messages as counterMessages } from './counter-messages.ts';
import { messages as proxyMessages } from './proxy-messages.ts';
import { messages as adminPolicyMessages } from './admin-policy-messages.ts';
import { messages as adminAccessMessages } from './admin-access-messages.ts';
import { messages as adminChangesMessages } from './admin-changes-messages.ts';
import { messages as adminOpsMessages } from './admin-ops-messages.ts';
import type { MethodMessageKeys } from '../../providers/kit/messages.ts';

export type { Lang };
export { LANGS } from './text.ts';

const coreMessages = {
  // input
  invalid_input: { status: 400, 'zh-CN': '提交的内容有误：{field}。', en: 'Some input is not valid: {field}.' },
  field_required: { status: 400, 'zh-CN': '请填写{field}。', en: 'Please fill in {field}.' },
  field_too_long: { status: 400, 'zh-CN': '{field}太长了。', en: '{field} is too long.' },
  id_number_malformed: {
    status: 400,
    'zh-CN': '身份证号码格式不正确，应为 18 位（最后一位可以是 X）。',
    en: 'The ID number is not in the right format: 18 characters, the last may be X.',
  },
  id_number_checksum: {
    status: 400,
    'zh-CN': '身份证号码校验位不正确，请核对后重新输入。',
    en: 'The ID number’s check digit is wrong. Please check the number and try again.',
  },
  id_number_birthdate: {
    status: 400,
    'zh-CN': '身份证号码中的出生日期无效。',
    en: 'The birth date inside the ID number is not a valid date.',
  },
  id_number_region: {
    status: 400,
    'zh-CN': '身份证号码中的地区码无效。',
    en: 'The region code inside the ID number is not valid.',
  },
  phone_malformed: { status: 400, 'zh-CN': '手机号码格式不正确。', en: 'The mobile number is not in the right format.' },
  password_weak: {
    status: 400,
    'zh-CN': '密码至少 8 位，且需同时包含字母和数字。',
    en: 'The password needs at least 8 characters, with both letters and digits.',
  },
  password_mismatch: { status: 400, 'zh-CN': '两次输入的新密码不一致。', en: 'The two new passwords are not the same.' },
  payload_too_large: { status: 413, 'zh-CN': '提交的内容过大。', en: 'The request body is too large.' },
  unsupported_content_type: {
    status: 415,
    'zh-CN': '不支持的内容类型，请以表单或 JSON 提交。',
    en: 'Unsupported content type: send a form or JSON.',
  },
  malformed_body: { status: 400, 'zh-CN': '无法解析提交的内容。', en: 'The request body could not be parsed.' },
  malformed_request: { status: 400, 'zh-CN': '请求的格式不正确。', en: 'The request is not well formed.' },
  // security
  csrf_invalid: {
    status: 403,
    'zh-CN': '页面已过期或来源不明，请返回重新操作。',
    en: 'This form has expired or did not come from this site. Please go back and try again.',
  },
  rate_limited: {
    status: 429,
    'zh-CN': '尝试次数过多，请在 {seconds} 秒后再试。',
    en: 'Too many attempts. Please try again in {seconds} seconds.',
  },
  // login and registration
  login_failed: {
    status: 401,
    'zh-CN': '身份证号码或密码不正确。',
    en: 'The ID number or the password is not correct.',
  },
  interaction_expired: {
    status: 400,
    'zh-CN': '登录页面已过期，请回到应用重新发起登录。',
    en: 'This sign-in page has expired. Please go back to the app and start again.',
  },
  method_unknown: { status: 404, 'zh-CN': '不支持该登录方式。', en: 'This sign-in method is not available.' },
  method_not_allowed: {
    status: 403,
    'zh-CN': '该应用不接受此登录方式，请换一种方式。',
    en: 'This app does not accept this sign-in method. Please choose another.',
  },
  method_unavailable: {
    status: 503,
    'zh-CN': '该登录方式暂时无法使用，请稍后再试或换一种方式。',
    en: 'This sign-in method is unavailable right now. Please try another.',
  },
  level_insufficient: {
    status: 403,
    'zh-CN': '该应用要求更高的安全等级，请再用一种更高等级的方式验证。',
    en: 'This app needs a higher assurance level. Please verify again with a stronger method.',
  },
  registry_mismatch: {
    status: 400,
    'zh-CN': '姓名与身份证号码不一致，请核对后重试。',
    en: 'The name does not match the ID number. Please check and try again.',
  },
  already_registered: {
    status: 409,
    'zh-CN': '该身份证号码已开通，请直接登录。',
    en: 'This ID number is already registered. Please sign in.',
  },
  credential_conflict: {
    status: 409,
    'zh-CN': '该登录方式已绑定到其他账号，无法重复绑定。如有疑问请到服务窗口办理。',
    en: 'This sign-in method is already linked to another account and cannot be linked again. Please visit a service counter if you need help.',
  },
  otp_invalid: { status: 401, 'zh-CN': '验证码不正确。', en: 'The verification code is not correct.' },
  otp_expired: {
    status: 400,
    'zh-CN': '验证码已过期或尝试次数过多，请重新获取。',
    en: 'The verification code has expired or was tried too often. Please request a new one.',
  },
  otp_resend_wait: {
    status: 429,
    'zh-CN': '请 {seconds} 秒后再重新发送验证码。',
    en: 'Please wait {seconds} seconds before asking for another code.',
  },
  not_enrolled: {
    status: 403,
    'zh-CN': '尚未找到您的通办 ID，请先开通或到服务中心办理。',
    en: 'We could not find your Tongban ID. Please register first, or visit a service centre.',
  },
  not_bound: {
    status: 403,
    'zh-CN': '该账号尚未绑定通办 ID。请先用其他方式登录，再在“我的账号”中绑定。',
    en: 'This account is not linked to a Tongban ID yet. Sign in another way first, then link it under “My account”.',
  },
  challenge_expired: {
    status: 400,
    'zh-CN': '二维码或验证请求已过期，请重新开始。',
    en: 'The QR code or verification request has expired. Please start again.',
  },
  state_mismatch: {
    status: 400,
    'zh-CN': '登录回调无效（状态不匹配），请重新开始。',
    en: 'The sign-in response is not valid (state mismatch). Please start again.',
  },
  account_last_credential: {
    status: 409,
    'zh-CN': '这是您唯一的登录方式，不能解除。请先绑定其他方式。',
    en: 'This is your only way to sign in and cannot be unlinked. Link another method first.',
  },
  account_bind_failed: {
    status: 400,
    'zh-CN': '绑定没有完成，请重试。',
    en: 'Linking did not complete. Please try again.',
  },
  // clients and protocol
  client_file_invalid: { status: 400, 'zh-CN': '应用配置无效：{detail}', en: 'Invalid app configuration: {detail}' },
  invalid_token: { status: 401, 'zh-CN': '访问令牌无效或已过期。', en: 'The access token is invalid or expired.' },
  client_unknown: { status: 400, 'zh-CN': '未知的应用。', en: 'Unknown app.' },
  not_found: { status: 404, 'zh-CN': '页面不存在。', en: 'Page not found.' },
  audit_not_recorded: {
    status: 503,
    'zh-CN': '此操作未能写入审计记录，因此没有执行，也没有做任何更改。请稍后重试。',
    en: 'This action could not be written to the audit log, so it was not carried out and nothing was changed. Please try again shortly.',
  },
  // PostgreSQL or Redis unreachable: never the person's fault, never "expired" or "invalid"
  temporarily_unavailable: {
    status: 503,
    'zh-CN': '服务暂时不可用，请稍后再试。',
    en: 'The service is temporarily unavailable. Please try again shortly.',
  },
  internal: {
    status: 500,
    'zh-CN': '服务暂时出现问题，请稍后再试。',
    en: 'Something went wrong on our side. Please try again later.',
  },
} as const satisfies Record<string, CodedText>;

// every method keeps its own codes in providers/<id>/messages.ts; its definition adds them here
// when it is loaded (the core never imports a method), so every code lives in one table
const codes: Record<string, CodedText> = {
  ...coreMessages,
  ...counterMessages,
  ...proxyMessages,
  ...adminPolicyMessages,
  ...adminAccessMessages,
  ...adminChangesMessages,
  ...adminOpsMessages,
};

export type MessageKey = keyof typeof coreMessages | keyof typeof counterMessages | keyof typeof proxyMessages | keyof typeof adminPolicyMessages | keyof typeof adminAccessMessages | keyof typeof adminChangesMessages | keyof typeof adminOpsMessages | keyof MethodMessageKeys;

/** A method's own codes with the HTTP status each answers with (400 when not listed). */
export function addMethodMessages(table: Readonly<Record<string, Text>>, statuses: Readonly<Record<string, number>> = {}): void {
  for (const [code, text] of Object.entries(table)) {
    const entry: CodedText = { status: statuses[code] ?? 400, 'zh-CN': text['zh-CN'], en: text.en };
    const known = codes[code];
    if (known && (known['zh-CN'] !== entry['zh-CN'] || known.en !== entry.en || known.status !== entry.status)) {
      throw new Error(`message code "${code}" is defined twice`);
    }
    codes[code] = entry;
  }
}

export function isMessageKey(code: string): code is MessageKey {
  return Object.hasOwn(codes, code);
}

/** The HTTP status an error code answers with, wherever it is raised. */
export function statusOf(code: MessageKey): number {
  return codes[code]?.status ?? 400;
}

/** The words of an error code (for the catalogue's lookup in ./ui.ts). */
export function codeText(code: string): Text | undefined {
  return Object.hasOwn(codes, code) ? codes[code] : undefined;
}
