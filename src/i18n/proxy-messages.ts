/** Error codes of family proxy (亲友代办): the HTTP status of each and its zh-CN and en text. */
import type { CodedText } from './text.ts';

export const messages = {
  proxy_level_required: {
    status: 403,
    'zh-CN': '设置或接受亲友代办需要安全等级 2 或以上，请先再验证一次。',
    en: 'Setting up or accepting a family proxy needs assurance level 2 or above. Please verify once more first.',
  },
  proxy_helper_unknown: {
    status: 404,
    'zh-CN': '没有找到使用该身份证号码开通通办 ID 的人。请对方先开通通办 ID。',
    en: 'No one with a Tongban ID has that ID number. Ask them to register first.',
  },
  proxy_helper_self: { status: 400, 'zh-CN': '不能指定自己为代办人。', en: 'You cannot name yourself as your helper.' },
  proxy_until_invalid: {
    status: 400,
    'zh-CN': '截止日期须在今天之后，且不超过一年。',
    en: 'The end date must be after today and at most a year away.',
  },
  proxy_not_found: { status: 404, 'zh-CN': '没有找到这项代办授权，可能已撤销或到期。', en: 'This proxy was not found; it may have been revoked or ended.' },
  proxy_refused: {
    status: 403,
    'zh-CN': '现在不能代对方登录：授权已撤销或到期，或该应用不接受代办登录。',
    en: 'You cannot sign in on their behalf now: the proxy was revoked or has ended, or this app does not accept it.',
  },
} as const satisfies Record<string, CodedText>;
