/** Interface text for our pages, zh-CN first. */
import type { Lang } from './messages.ts';

const ui = {
  product: { 'zh-CN': '通办 ID · 城市统一身份认证', en: 'Tongban ID · City sign-in' },
  chooseMethod: { 'zh-CN': '选择登录方式', en: 'Choose how to sign in' },
  signInTo: { 'zh-CN': '登录以继续使用「{client}」', en: 'Sign in to continue to “{client}”' },
  stepUp: {
    'zh-CN': '「{client}」需要更高的安全等级（等级 {level}），请再用下列方式之一验证。',
    en: '“{client}” needs a higher assurance level (level {level}). Please verify with one of these.',
  },
  partial: {
    'zh-CN': '已完成一项验证，还需要一项才能达到等级 {level}。',
    en: 'One verification is done; one more is needed to reach level {level}.',
  },
  groupCommon: { 'zh-CN': '常用方式', en: 'Common' },
  groupCards: { 'zh-CN': '证书与卡', en: 'Certificates and cards' },
  groupApps: { 'zh-CN': '应用与银行', en: 'Apps and banks' },
  level: { 'zh-CN': '安全等级 {level}', en: 'Level {level}' },
  register: { 'zh-CN': '还没有开通？立即开通', en: 'Not registered yet? Register' },
  noPhone: {
    'zh-CN': '没有手机或不方便在网上操作？请携带身份证到任一社区事务受理服务中心，工作人员会当面为您办理。',
    en: 'No phone, or finding this hard? Bring your ID card to any community service centre; staff will help you in person.',
  },
  otherMethods: { 'zh-CN': '换一种登录方式', en: 'Use another method' },
  cancel: { 'zh-CN': '取消并返回应用', en: 'Cancel and return to the app' },
  consentTitle: { 'zh-CN': '授权「{client}」使用您的信息', en: 'Allow “{client}” to use your information' },
  consentIntro: {
    'zh-CN': '「{client}」将获得以下信息：',
    en: '“{client}” will receive:',
  },
  consentNothing: {
    'zh-CN': '「{client}」请您确认登录。它只会知道是您本人登录，不会获得其他个人信息。',
    en: '“{client}” asks you to confirm this sign-in. It learns only that it is you, and no other personal information.',
  },
  consentRemember: {
    'zh-CN': '您的选择会被记住，之后可在个人中心撤回。',
    en: 'Your choice is remembered; you can withdraw it later in your account.',
  },
  allow: { 'zh-CN': '同意并继续', en: 'Allow and continue' },
  deny: { 'zh-CN': '拒绝', en: 'Deny' },
  codeSentTo: { 'zh-CN': '验证码已发送至 {to}，{minutes} 分钟内有效。', en: 'A code was sent to {to}; it is valid for {minutes} minutes.' },
  codeMaybeSentTo: {
    'zh-CN': '如果 {to} 已绑定通办 ID，验证码已发送至该号码，{minutes} 分钟内有效。',
    en: 'If {to} is linked to a Tongban ID, a code was sent to it; it is valid for {minutes} minutes.',
  },
  resend: { 'zh-CN': '重新发送验证码', en: 'Send the code again' },
  openOnThisDevice: { 'zh-CN': '在本机打开', en: 'Open on this device' },
  openSigner: { 'zh-CN': '打开签名软件', en: 'Open the signing software' },
  qrExpires: { 'zh-CN': '二维码 {minutes} 分钟内有效。', en: 'The QR code is valid for {minutes} minutes.' },
  waiting: { 'zh-CN': '正在等待确认，本页会自动刷新。', en: 'Waiting for confirmation; this page refreshes by itself.' },
  checkAgain: { 'zh-CN': '我已确认，继续', en: 'I have confirmed, continue' },
  accountTitle: { 'zh-CN': '我的账号', en: 'My account' },
  accountMethods: { 'zh-CN': '我的登录方式', en: 'How I sign in' },
  accountMethod: { 'zh-CN': '方式', en: 'Method' },
  accountLastUsed: { 'zh-CN': '最近使用', en: 'Last used' },
  accountUnbind: { 'zh-CN': '解除绑定', en: 'Unlink' },
  accountBindTitle: { 'zh-CN': '绑定其他账号', en: 'Link another account' },
  accountBind: { 'zh-CN': '绑定{method}', en: 'Link {method}' },
  accountActivity: { 'zh-CN': '我的记录', en: 'My activity' },
  accountWhen: { 'zh-CN': '时间', en: 'When' },
  accountWhat: { 'zh-CN': '事项', en: 'What' },
  accountWhere: { 'zh-CN': '应用 / 窗口', en: 'App / counter' },
  accountNoActivity: { 'zh-CN': '暂无记录。', en: 'Nothing yet.' },
  accountBound: { 'zh-CN': '绑定成功。', en: 'Linked.' },
  accountUnbound: { 'zh-CN': '已解除绑定。', en: 'Unlinked.' },
  errorTitle: { 'zh-CN': '出错了', en: 'Something went wrong' },
  errorCode: { 'zh-CN': '错误代码', en: 'Error code' },
  unavailableTitle: { 'zh-CN': '服务暂时不可用', en: 'Temporarily unavailable' },
  unavailableWait: { 'zh-CN': '请稍等片刻再重试。', en: 'Please wait a moment, then try again.' },
  tryAgain: { 'zh-CN': '重试', en: 'Try again' },
  backToApp: { 'zh-CN': '请回到您正在使用的应用重新开始。', en: 'Please go back to the app you were using and start again.' },
  loggedOut: { 'zh-CN': '您已退出登录。', en: 'You have signed out.' },
  logoutConfirm: { 'zh-CN': '确定要退出所有应用的登录吗？', en: 'Sign out of all apps?' },
  logoutYes: { 'zh-CN': '退出登录', en: 'Sign out' },
  logoutNo: { 'zh-CN': '保持登录', en: 'Stay signed in' },
  switchLang: { 'zh-CN': 'English', en: '中文' },
  skip: { 'zh-CN': '跳到主要内容', en: 'Skip to main content' },
  claim_sub: { 'zh-CN': '在该应用中的用户编号', en: 'Your user number for this app' },
  claim_name: { 'zh-CN': '姓名', en: 'Name' },
  claim_birthdate: { 'zh-CN': '出生日期', en: 'Date of birth' },
  claim_gender: { 'zh-CN': '性别', en: 'Gender' },
  claim_phone_number: { 'zh-CN': '手机号码', en: 'Mobile number' },
  claim_phone_number_verified: { 'zh-CN': '手机号码是否已验证', en: 'Whether the mobile number is verified' },
  claim_id_number: { 'zh-CN': '身份证号码', en: 'Resident ID number' },
  claim_proofing: { 'zh-CN': '身份核验方式', en: 'How your identity was verified' },
  claim_offline_access: { 'zh-CN': '在您离开后继续保持访问', en: 'Keep access while you are away' },
} as const;

export type UiKey = keyof typeof ui;

export function t(lang: Lang, key: UiKey, params: Record<string, string | number> = {}): string {
  return ui[key][lang].replace(/\{(\w+)\}/g, (_m, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}

export function hasUi(key: string): key is UiKey {
  return Object.hasOwn(ui, key);
}
