/** Error codes of the counter console and counter codes: the HTTP status of each and its zh-CN and en text. */
import type { CodedText } from './text.ts';

export const messages = {
  counter_level_required: {
    status: 403,
    'zh-CN': '窗口工作台需要安全等级 3（数字证书或网证）登录。',
    en: 'The counter console needs assurance level 3 (a digital certificate or the eID).',
  },
  counter_not_staff: {
    status: 403,
    'zh-CN': '您不是在岗的窗口工作人员，无法使用工作台。',
    en: 'You are not active counter staff and cannot use the console.',
  },
  counter_session_expired: {
    status: 401,
    'zh-CN': '工作台已超时退出，请重新登录。',
    en: 'The console session ended after inactivity. Please sign in again.',
  },
  counter_no_visit: {
    status: 409,
    'zh-CN': '请先当面核验群众身份，再办理此项业务。',
    en: 'Verify the citizen in person first, then do this.',
  },
  counter_card_expired: { status: 400, 'zh-CN': '身份证已过有效期，不能用于核验。', en: 'The ID card has expired and cannot be used.' },
  counter_face_unconfirmed: {
    status: 400,
    'zh-CN': '请确认本人与身份证照片一致后再提交。',
    en: 'Confirm that the person matches the ID card photo before submitting.',
  },
  counter_reason_required: { status: 400, 'zh-CN': '请填写办理事由。', en: 'Please give the reason.' },
  counter_text_too_long: {
    status: 400,
    'zh-CN': '填写的内容太长，最多 {max} 个字，请精简后重新提交。',
    en: 'What you typed is too long: at most {max} characters. Please shorten it and submit again.',
  },
  counter_text_control: {
    status: 400,
    'zh-CN': '填写的内容含有不可见的控制字符，请删除后重新输入。',
    en: 'What you typed contains invisible control characters. Please remove them and type it again.',
  },
  counter_text_number: {
    status: 400,
    'zh-CN': '办理事由中不能填写身份证号、手机号、卡号等个人号码，请只写事由。',
    en: 'The reason must not contain an ID number, a mobile number, a card number or any other personal number. Describe the reason only.',
  },
  counter_request_self: {
    status: 403,
    'zh-CN': '不能审批自己发起的申请，请由另一位主管审批。',
    en: 'You cannot approve your own request; another supervisor must.',
  },
  counter_request_not_supervisor: { status: 403, 'zh-CN': '只有主管可以审批。', en: 'Only a supervisor can approve.' },
  counter_request_other_centre: {
    status: 403,
    'zh-CN': '只能审批本中心的申请。',
    en: 'You can only approve requests of your own centre.',
  },
  counter_request_expired: {
    status: 403,
    'zh-CN': '该申请已超过审批时限，请重新发起。',
    en: 'This request is past its approval time limit. Please make it again.',
  },
  counter_request_closed: { status: 409, 'zh-CN': '该申请已处理。', en: 'This request has already been decided.' },
  counter_user_code_invalid: {
    status: 400,
    'zh-CN': '自助机上的代码不正确或已过期，请核对后重新输入。',
    en: 'The code shown on the kiosk is wrong or has expired. Please check it and type it again.',
  },
  counter_not_kiosk: { status: 400, 'zh-CN': '该设备不是登记的自助服务一体机。', en: 'That device is not a registered service kiosk.' },
  counter_code_invalid: {
    status: 401,
    'zh-CN': '窗口码不正确、已使用或已过期。请核对后重新输入，或到窗口重新领取。',
    en: 'The counter code is wrong, already used or expired. Check it, or ask at the counter for a new one.',
  },
} as const satisfies Record<string, CodedText>;
