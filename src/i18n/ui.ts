/**
 * Interface text for our pages, zh-CN first, and the one lookup over the whole catalogue: `t`
 * finds interface text (here and in ./counter-ui.ts) and error codes (./messages.ts, with the
 * methods' own codes their definitions add) and each method's page words (./method-text.ts) by
 * one typed key, and fills `{name}` from params.
 */
import { fill, type Lang, type Params, type Text } from './text.ts';
import { codeText, type MessageKey } from './messages.ts';
import { counterUi } from './counter-ui.ts';
import { protocolUi } from './protocol-ui.ts';
import { proxyUi } from './proxy-ui.ts';
import { adminOpsUi } from './admin-ops-ui.ts';
import { adminAccessUi } from './admin-access-ui.ts';
import { adminChangesUi } from './admin-changes-ui.ts';
import { formUi } from './form-ui.ts';
import { methodText, type MethodTextKey } from './method-text.ts';

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
  firstWays: { 'zh-CN': '最常用的登录方式', en: 'The most used ways' },
  moreWays: { 'zh-CN': '更多登录方式（{count} 种）', en: 'More ways to sign in ({count})' },
  goodFor1: { 'zh-CN': '适合查询信息、办理简单事项', en: 'Good for looking things up and simple services' },
  goodFor2: { 'zh-CN': '适合办理大多数事项', en: 'Good for most services' },
  goodFor3: { 'zh-CN': '适合办理所有事项，包括重要事项', en: 'Good for every service, important ones included' },
  operatorLine: { 'zh-CN': '本服务由{operator}提供。', en: 'This service is run by {operator}.' },
  helpLine: { 'zh-CN': '需要帮助，请拨打', en: 'For help, call' },
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
    'zh-CN': '您的选择会被记住。之后可随时在{account}的“我授权的应用”中撤回。',
    en: 'Your choice is remembered; you can withdraw it at any time under “Apps I have allowed” in {account}.',
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
  waiting: { 'zh-CN': '正在等待您确认。', en: 'Waiting for your confirmation.' },
  checkAgain: { 'zh-CN': '我已确认，立即查看', en: 'I have confirmed: check now' },
  waitHow: {
    'zh-CN': '确认后本页会自动继续，不会刷新页面；也可以随时按“立即查看”。',
    en: 'Once you confirm, this page continues by itself without reloading; you can also press “check now” at any time.',
  },
  waitStill: { 'zh-CN': '仍在等待您确认。', en: 'Still waiting for your confirmation.' },
  waitDone: { 'zh-CN': '已确认，正在继续……', en: 'Confirmed; continuing…' },
  waitFailed: { 'zh-CN': '未能完成确认，请重新开始或换一种方式。', en: 'The confirmation did not complete; start again or use another method.' },
  waitRetry: { 'zh-CN': '暂时无法查询状态，正在重试。也可以按“立即查看”。', en: 'Could not check just now; trying again. You can also press “check now”.' },
  waitStartAgain: { 'zh-CN': '重新开始', en: 'Start again' },
  accountTitle: { 'zh-CN': '我的账号', en: 'My account' },
  accountMethods: { 'zh-CN': '我的登录方式', en: 'How I sign in' },
  accountMethod: { 'zh-CN': '方式', en: 'Method' },
  accountLastUsed: { 'zh-CN': '最近使用（每小时记录一次）', en: 'Last used (noted once an hour)' },
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
  consentsTitle: { 'zh-CN': '我授权的应用', en: 'Apps I have allowed' },
  consentsIntro: {
    'zh-CN': '以下应用经您同意可以获得您的信息。撤回后，该应用立即失去访问权限并退出登录；下次使用时会重新征求您的同意。',
    en: 'These apps receive your information because you allowed it. If you withdraw, the app loses access at once and is signed out; it will ask you again next time.',
  },
  consentsNone: { 'zh-CN': '您还没有授权任何应用。', en: 'You have not allowed any app yet.' },
  consentsApp: { 'zh-CN': '应用', en: 'App' },
  consentsReceives: { 'zh-CN': '获得的信息', en: 'What it receives' },
  consentsSince: { 'zh-CN': '授权时间', en: 'Allowed since' },
  consentsLastUsed: { 'zh-CN': '最近使用（每小时记录一次）', en: 'Last used (noted once an hour)' },
  consentsNotUsed: { 'zh-CN': '尚未使用', en: 'Not yet' },
  consentsAction: { 'zh-CN': '操作', en: 'Action' },
  consentsWithdraw: { 'zh-CN': '撤回对「{client}」的授权', en: 'Withdraw consent from “{client}”' },
  consentsWithdrawn: {
    'zh-CN': '已撤回授权，该应用已退出登录。下次使用时会重新征求您的同意。',
    en: 'Consent withdrawn and the app signed out. It will ask for your consent again next time.',
  },
  claimSignIn: { 'zh-CN': '您登录的时间和方式', en: 'When and how you signed in' },
  sessionsTitle: { 'zh-CN': '我在哪些设备上登录', en: 'Where I am signed in' },
  sessionsDevice: { 'zh-CN': '设备', en: 'Device' },
  sessionsSince: { 'zh-CN': '登录时间', en: 'Signed in' },
  sessionsApps: { 'zh-CN': '使用中的应用', en: 'Apps' },
  sessionsThisDevice: { 'zh-CN': '（当前设备）', en: '(this device)' },
  sessionsUnknownDevice: { 'zh-CN': '未知设备', en: 'Unknown device' },
  sessionsNoApps: { 'zh-CN': '仅本账号页面', en: 'This account page only' },
  sessionsEndAll: { 'zh-CN': '在所有设备上退出登录', en: 'Sign out everywhere' },
  sessionsEndAllHelp: {
    'zh-CN': '将结束您在所有设备上的登录（包括当前设备），并通知相关应用退出。',
    en: 'Ends your sign-in on every device (this one included) and tells the apps to sign you out.',
  },
  sessionsEnded: { 'zh-CN': '您已在所有设备上退出登录。', en: 'You have been signed out everywhere.' },
  signInAgain: { 'zh-CN': '重新登录', en: 'Sign in again' },
  myDataTitle: { 'zh-CN': '我的数据', en: 'My data' },
  myDataIntro: {
    'zh-CN': '下载我们保存的关于您的全部信息（JSON 文件）：身份信息、登录方式、授权和记录。文件含有您完整的身份证号码，请妥善保存。',
    en: 'Download everything we hold about you as a JSON file: your identity record, ways to sign in, consents and activity. It contains your full resident ID number; keep it safe.',
  },
  myDataDownload: { 'zh-CN': '下载我的数据（JSON）', en: 'Download my data (JSON)' },
  activityConsentGranted: { 'zh-CN': '授权应用使用我的信息', en: 'Allowed an app to use my information' },
  activityConsentWithdrawn: { 'zh-CN': '撤回对应用的授权', en: 'Withdrew consent from an app' },
  activitySessionsEnded: { 'zh-CN': '在所有设备上退出登录', en: 'Signed out everywhere' },
  activityDataExported: { 'zh-CN': '下载了我的数据', en: 'Downloaded my data' },
  accountNever: { 'zh-CN': '从未使用', en: 'never' },
  proofing_none: { 'zh-CN': '未核验', en: 'not verified' },
  proofing_remote: { 'zh-CN': '线上核验', en: 'verified online' },
  proofing_in_person: { 'zh-CN': '窗口当面核验', en: 'verified in person at a counter' },
  activitySignedIn: { 'zh-CN': '登录：{methods}', en: 'Signed in with {methods}' },
  activityResumed: { 'zh-CN': '暂停后已重新登录：{method}', en: 'Signed in again with {method} after a pause' },
  activityPaused: {
    'zh-CN': '{method}因多次错误尝试暂停 {span}（其他登录方式不受影响）',
    en: '{method} paused for {span} after repeated wrong attempts (your other ways in still work)',
  },
  activityWithKind: { 'zh-CN': '{what}（{kind}）', en: '{what} ({kind})' },
  spanDays: { 'zh-CN': '{n} 天', en: '{n} days' },
  spanHours: { 'zh-CN': '{n} 小时', en: '{n} hours' },
  spanMinutes: { 'zh-CN': '{n} 分钟', en: '{n} min' },
  'activity_counter.verified_in_person': { 'zh-CN': '窗口当面核验身份', en: 'Identity verified in person' },
  'activity_counter.code_issued': { 'zh-CN': '发放窗口码', en: 'Counter code issued' },
  'activity_counter.kiosk_approved': { 'zh-CN': '代为确认自助机登录', en: 'Kiosk sign-in approved by staff' },
  'activity_counter.request_created': { 'zh-CN': '提交账号恢复申请', en: 'Account recovery requested' },
  'activity_counter.request_approved': { 'zh-CN': '账号恢复申请获批并生效', en: 'Account recovery approved and applied' },
  'activity_counter.request_refused': { 'zh-CN': '账号恢复申请被拒绝', en: 'Account recovery refused' },
  'activity_counter.lockout_lifted': { 'zh-CN': '解除登录锁定', en: 'Sign-in lockout lifted' },
  'activity_counter.refused': { 'zh-CN': '窗口办理被拒绝', en: 'Counter action refused' },
  request_rebind_phone: { 'zh-CN': '更换手机', en: 'new phone' },
  request_reset_password: { 'zh-CN': '重置密码', en: 'password reset' },
  errorTitle: { 'zh-CN': '出错了', en: 'Something went wrong' },
  errorCode: { 'zh-CN': '错误代码', en: 'Error code' },
  unavailableTitle: { 'zh-CN': '服务暂时不可用', en: 'Temporarily unavailable' },
  unavailableWait: { 'zh-CN': '请稍等片刻再重试。', en: 'Please wait a moment, then try again.' },
  tryAgain: { 'zh-CN': '重试', en: 'Try again' },
  backToApp: { 'zh-CN': '请回到您正在使用的应用重新开始。', en: 'Please go back to the app you were using and start again.' },
  loggedOut: { 'zh-CN': '您已退出登录。', en: 'You have signed out.' },
  backTo: { 'zh-CN': '返回「{client}」', en: 'Back to “{client}”' },
  signInTongban: { 'zh-CN': '重新登录通办 ID', en: 'Sign in to Tongban ID again' },
  startAgain: { 'zh-CN': '重新选择登录方式', en: 'Start again: choose how to sign in' },
  goHome: { 'zh-CN': '前往通办 ID“我的账号”', en: 'Go to my Tongban ID account' },
  passwordHelpTitle: { 'zh-CN': '忘记密码怎么办', en: 'If you have forgotten your password' },
  passwordHelpOther: {
    'zh-CN': '现在就要办事：如果您的手机号已绑定通办 ID，可以改用“短信验证码”登录，不需要密码。',
    en: 'To carry on now: if your mobile number is linked to your Tongban ID, sign in with a text-message code instead; no password is needed.',
  },
  passwordHelpCounter: {
    'zh-CN': '重新设置密码：请携带本人身份证到任一社区事务受理服务中心窗口。工作人员当面核验后为您重置密码（需中心主管审批），完成后会发短信通知您已绑定的手机。之后可用窗口码登录并设置新密码。',
    en: 'To set a new password: bring your ID card to any community service centre counter. After checking you in person, staff reset your password (a supervisor approves it) and a text message tells your linked phone. You can then sign in with a counter code and choose a new password.',
  },
  passwordHelpNoPhone: {
    'zh-CN': '没有绑定手机也可以在窗口办理，工作人员会发给您一次性的窗口码。',
    en: 'Without a linked phone you can still do this at the counter; staff give you a one-time counter code.',
  },
  passwordHelpBack: { 'zh-CN': '返回登录', en: 'Back to signing in' },
  passwordHelpOtherWays: { 'zh-CN': '其他办法', en: 'Other ways' },
  resetTitle: { 'zh-CN': '用短信验证码重新设置密码', en: 'Set a new password with a text-message code' },
  resetIntro: {
    'zh-CN': '输入您的身份证号码。如果您已开通通办 ID、绑定了手机并设置过密码，我们会把验证码发到绑定的手机。',
    en: 'Enter your resident ID number. If you have a Tongban ID with a linked mobile phone and a password, we text a code to that phone.',
  },
  resetIdNumber: { 'zh-CN': '身份证号码', en: 'Resident ID number' },
  resetSend: { 'zh-CN': '发送验证码', en: 'Send the code' },
  resetCodeTitle: { 'zh-CN': '输入验证码，设置新密码', en: 'Enter the code and a new password' },
  resetCodeSent: {
    'zh-CN': '如果该身份证号码已开通通办 ID、绑定了手机并设置过密码，验证码已发到该手机，{minutes} 分钟内有效。没有收到短信，请改到服务中心窗口办理。',
    en: 'If this ID number has a Tongban ID with a linked phone and a password, a code is on its way to that phone and is valid for {minutes} minutes. If no text arrives, please visit a service centre counter.',
  },
  resetCode: { 'zh-CN': '短信验证码', en: 'Code from the text message' },
  resetNewPassword: { 'zh-CN': '新密码', en: 'New password' },
  resetNewPasswordHint: { 'zh-CN': '至少 {min} 位，同时包含字母和数字。', en: 'At least {min} characters, with both letters and digits.' },
  resetRepeat: { 'zh-CN': '再次输入新密码', en: 'New password again' },
  resetSubmit: { 'zh-CN': '设置新密码', en: 'Set the new password' },
  resetStartAgain: { 'zh-CN': '没有收到？重新开始', en: 'No code? Start again' },
  resetDoneTitle: { 'zh-CN': '新密码已设置', en: 'Your new password is set' },
  resetDone: {
    'zh-CN': '请用新密码登录。为安全起见，您在其他设备上的登录已全部退出，并已短信通知 {phone}。',
    en: 'Sign in with your new password. For your safety, you have been signed out everywhere else, and a text message has told {phone}.',
  },
  activityPasswordChanged: { 'zh-CN': '设置了新密码', en: 'A new password was set' },
  logoutConfirm: { 'zh-CN': '确定要退出所有应用的登录吗？', en: 'Sign out of all apps?' },
  logoutYes: { 'zh-CN': '退出登录', en: 'Sign out' },
  logoutNo: { 'zh-CN': '保持登录', en: 'Stay signed in' },
  continue: { 'zh-CN': '继续', en: 'Continue' },
  deviceKiosk: {
    'zh-CN': '自助机登录由服务中心窗口工作人员当面确认。请把自助机屏幕上的代码告诉工作人员。',
    en: 'Kiosk sign-ins are confirmed by the staff at the service centre counter. Please show them the code on the kiosk screen.',
  },
  switchLang: { 'zh-CN': 'English', en: '中文' },
  skip: { 'zh-CN': '跳到主要内容', en: 'Skip to main content' },
  viewSettings: { 'zh-CN': '显示设置', en: 'Display settings' },
  elderOn: { 'zh-CN': '长辈模式（大字）', en: 'Elder mode (large text)' },
  elderOff: { 'zh-CN': '退出长辈模式', en: 'Standard view' },
  claim_sub: { 'zh-CN': '在该应用中的用户编号', en: 'Your user number for this app' },
  claim_name: { 'zh-CN': '姓名', en: 'Name' },
  claim_birthdate: { 'zh-CN': '出生日期', en: 'Date of birth' },
  claim_gender: { 'zh-CN': '性别', en: 'Gender' },
  claim_phone_number: { 'zh-CN': '手机号码', en: 'Mobile number' },
  claim_phone_number_verified: { 'zh-CN': '手机号码是否已验证', en: 'Whether the mobile number is verified' },
  claim_id_number: { 'zh-CN': '身份证号码', en: 'Resident ID number' },
  claim_proofing: { 'zh-CN': '身份核验方式', en: 'How your identity was verified' },
  claim_offline_access: { 'zh-CN': '在您离开后继续保持访问', en: 'Keep access while you are away' },
  claim_act: {
    'zh-CN': '如有他人代您登录（窗口工作人员或您指定的亲友）：代办人是谁',
    en: 'If someone signs in for you (counter staff or a helper you chose): who they are',
  },
} as const satisfies Record<string, Text>;

export type UiKey = keyof typeof ui | keyof typeof counterUi | keyof typeof protocolUi | keyof typeof proxyUi | keyof typeof adminAccessUi | keyof typeof adminChangesUi | keyof typeof formUi | keyof typeof adminOpsUi;
/** Every key of the catalogue: interface text, error codes and the methods' own page words. */
export type TextKey = UiKey | MessageKey | MethodTextKey;

const pages: Readonly<Record<string, Text>> = { ...ui, ...counterUi, ...protocolUi, ...proxyUi, ...adminAccessUi, ...adminChangesUi, ...formUi, ...adminOpsUi };

export function t(lang: Lang, key: TextKey, params: Params = {}): string {
  const text = Object.hasOwn(pages, key) ? pages[key] : (codeText(key) ?? methodText(key));
  return fill(text?.[lang] ?? key, params);
}

export function isTextKey(key: string): key is TextKey {
  return Object.hasOwn(pages, key) || codeText(key) !== undefined || methodText(key) !== undefined;
}

// the one mapping from our languages to the locale dates are written in (city time)
const DATE_LOCALE: Readonly<Record<Lang, string>> = { 'zh-CN': 'zh-CN', en: 'en-GB' };

/** A moment as a person reads it, in the city's time zone. */
export function dateTime(lang: Lang, d: Date): string {
  return d.toLocaleString(DATE_LOCALE[lang], { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
}

/** The time of day of a moment (hours and minutes), in the city's time zone. */
export function timeOfDay(lang: Lang, d: Date): string {
  return d.toLocaleTimeString(DATE_LOCALE[lang], { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' });
}
