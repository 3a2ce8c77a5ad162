/**
 * "My activity": every sign-in (method, department, time) and every counter action on the
 * person's identity (centre, staff display name, action, time), newest first, from the audit log.
 */
import type Provider from 'oidc-provider';
import type { LoginMethod } from '../../providers/kit/index.ts';
import type { AuditLog, AuditRecord } from '../audit/index.ts';
import type { StaffDirectory } from '../counter/staff-directory.ts';
import type { Lang } from '../i18n/messages.ts';

export interface ActivityItem {
  at: Date;
  what: string;
  where: string;
}

const COUNTER: Record<string, { 'zh-CN': string; en: string }> = {
  'counter.verified_in_person': { 'zh-CN': '窗口当面核验身份', en: 'Identity verified in person' },
  'counter.code_issued': { 'zh-CN': '发放窗口码', en: 'Counter code issued' },
  'counter.kiosk_approved': { 'zh-CN': '代为确认自助机登录', en: 'Kiosk sign-in approved by staff' },
  'counter.request_created': { 'zh-CN': '提交账号恢复申请', en: 'Account recovery requested' },
  'counter.request_approved': { 'zh-CN': '账号恢复申请获批并生效', en: 'Account recovery approved and applied' },
  'counter.request_refused': { 'zh-CN': '账号恢复申请被拒绝', en: 'Account recovery refused' },
  'counter.lockout_lifted': { 'zh-CN': '解除登录锁定', en: 'Sign-in lockout lifted' },
  'counter.refused': { 'zh-CN': '窗口办理被拒绝', en: 'Counter action refused' },
};
const KIND: Record<string, { 'zh-CN': string; en: string }> = {
  rebind_phone: { 'zh-CN': '更换手机', en: 'new phone' },
  reset_password: { 'zh-CN': '重置密码', en: 'password reset' },
};

export async function activityOf(
  deps: { audit: AuditLog; staff: StaffDirectory; provider: Provider; methods: ReadonlyMap<string, LoginMethod> },
  subjectIndex: string,
  lang: Lang,
): Promise<ActivityItem[]> {
  const records = (await deps.audit.listForSubject(subjectIndex, 100)).filter(
    (r) => r.type === 'login.succeeded' || r.type === 'login.locked' || r.type === 'login.unlocked' || r.type in COUNTER,
  );
  const staffIds = [...new Set(records.map((r) => r.data.staffId).filter((x): x is string => typeof x === 'string'))];
  const staff = await deps.staff.describe(staffIds);
  const clientNames = new Map<string, string>();
  for (const id of new Set(records.map((r) => r.clientId).filter((x): x is string => Boolean(x)))) {
    const c = await deps.provider.Client.find(id);
    clientNames.set(id, c?.clientName ?? id);
  }
  return records.map((r) => {
    if (r.type === 'login.succeeded') {
      const methods = String(r.data.method ?? '')
        .split('+')
        .map((m) => deps.methods.get(m)?.label[lang] ?? m)
        .join(' + ');
      return {
        at: new Date(r.at),
        what: `${lang === 'en' ? 'Signed in with' : '登录：'} ${methods}`,
        where: clientNames.get(r.clientId ?? '') ?? '',
      };
    }
    if (r.type === 'login.locked' || r.type === 'login.unlocked') return lockItem(r, deps.methods, lang);
    const s = staff.get(String(r.data.staffId));
    const kind = typeof r.data.kind === 'string' && KIND[r.data.kind] ? `（${KIND[r.data.kind]![lang]}）` : '';
    return { at: new Date(r.at), what: `${COUNTER[r.type]![lang]}${kind}`, where: s ? `${s.centreName} · ${s.displayName}` : '' };
  });
}

/** A pause on one way of signing in (after repeated wrong attempts, by anyone) and its end. */
function lockItem(r: AuditRecord, methods: ReadonlyMap<string, LoginMethod>, lang: Lang): ActivityItem {
  const method = methods.get(String(r.data.method))?.label[lang] ?? String(r.data.method);
  if (r.type === 'login.unlocked') {
    return { at: new Date(r.at), what: lang === 'en' ? `Signed in again with ${method} after a pause` : `暂停后已重新登录：${method}`, where: '' };
  }
  const what =
    lang === 'en'
      ? `${method} paused for ${span(Number(r.data.seconds), lang)} after repeated wrong attempts (your other ways in still work)`
      : `${method}因多次错误尝试暂停 ${span(Number(r.data.seconds), lang)}（其他登录方式不受影响）`;
  return { at: new Date(r.at), what, where: '' };
}

/** A pause's length in the largest whole unit that fits: minutes, hours or days. */
function span(seconds: number, lang: Lang): string {
  const [n, unit] =
    seconds >= 2 * 86_400 ? [Math.round(seconds / 86_400), lang === 'en' ? 'days' : '天'] :
    seconds >= 2 * 3600 ? [Math.round(seconds / 3600), lang === 'en' ? 'hours' : '小时'] :
    [Math.max(1, Math.round(seconds / 60)), lang === 'en' ? 'min' : '分钟'];
  return `${n} ${unit}`;
}
