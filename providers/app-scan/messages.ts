/** Error codes and page words of the `app-scan` method (zh-CN and en). */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {
  app_scan_wrong_client: {
    'zh-CN': '只有通办城市 App 可以确认扫码登录。',
    en: 'Only the city app can confirm a QR sign-in.',
  },
  app_scan_expired: {
    'zh-CN': '二维码已过期或已使用，请在电脑上刷新二维码后重新扫描。',
    en: 'This QR code has expired or was already used. Refresh the code on the computer and scan again.',
  },
  app_scan_rejected: {
    'zh-CN': '您已在城市 App 中拒绝了这次登录。如需登录，请重新扫码。',
    en: 'This sign-in was declined in the city app. Scan again if you want to sign in.',
  },
  app_scan_session_unknown: {
    'zh-CN': '无法确认城市 App 的登录状态，请在 App 中重新登录后再扫码。',
    en: 'The city app’s sign-in could not be confirmed. Sign in to the app again, then scan.',
  },
} as const satisfies Record<string, Text>;

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'app-scan.qrNote': {
    'zh-CN': '打开通办城市 App，点“扫一扫”扫描二维码，然后在手机上确认登录。',
    en: 'Open the city app, tap Scan, scan this code, then confirm on your phone.',
  },
  // outside production the tester pastes the payload into the city-app simulator
  'app-scan.qrNoteSandbox': {
    'zh-CN': '打开通办城市 App，点“扫一扫”扫描二维码，然后在手机上确认登录。（开发环境：把 {payload} 粘贴到城市 App 模拟器 {simulator}）',
    en: 'Open the city app, tap Scan, scan this code, then confirm on your phone. (Development: paste {payload} into the city-app simulator at {simulator})',
  },
  'app-scan.qrTitle': { 'zh-CN': '用城市 App 扫码登录', en: 'Sign in with the city app' },
  'app-scan.label': { 'zh-CN': '城市 App 扫码', en: 'Scan with the city app' },
  'app-scan.description': { 'zh-CN': '已在通办城市 App 登录的居民', en: 'For residents signed in to the city app' },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  app_scan_rejected: 403,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
