/** The policy pages: the policy in force, an edit form, the confirm step with its diff, and the versions. */
import type { Lang } from '../../i18n/text.ts';
import { dateTime, t } from '../../i18n/ui.ts';
import { html, type Html } from '../../web/html.ts';
import type { PolicyDocument } from '../../policy/policy-document.ts';
import type { VersionSummary } from '../../policy/policy-versions.ts';
import { framedPage, reasonField, summaryList } from '../changes/page-kit.ts';

export interface PageBase {
  lang: Lang;
  elder: boolean;
  path: string;
  csrf: string;
  csrfField: Html;
}

const home = (lang: Lang) => html`<p><a href="/admin">${t(lang, 'chgHome')}</a></p>`;
const yesNo = (lang: Lang, v: boolean) => t(lang, v ? 'chgEnabled' : 'chgDisabled');

export function overviewPage(b: PageBase & { version: number; doc: PolicyDocument; canEdit: boolean; notice: Html }): string {
  const { lang, doc } = b;
  const methods = Object.entries(doc.methods);
  const clients = Object.entries(doc.clients);
  const editCell = (href: string, what: string) => (b.canEdit ? html`<td><a href="${href}">${t(lang, 'chgEdit')}<span class="code"> ${what}</span></a></td>` : '');
  const editHead = b.canEdit ? html`<th scope="col">${t(lang, 'chgEdit')}</th>` : '';
  return framedPage(
    b,
    t(lang, 'chgPolicyTitle', { version: b.version }),
    html`${b.notice}
<p><a href="/admin/policy/versions">${t(lang, 'chgVersions')}</a> · <a href="/admin/api/policy/export" download>${t(lang, 'chgExport')}</a></p>
<h2>${t(lang, 'chgMethods')}</h2>
<table class="creds"><thead><tr><th scope="col">${t(lang, 'chgMethod')}</th><th scope="col">${t(lang, 'chgState')}</th><th scope="col">${t(lang, 'chgLevel')}</th>${editHead}</tr></thead>
<tbody>${methods.map(([id, m]) => html`<tr><th scope="row" class="code">${id}</th><td>${yesNo(lang, m.enabled)}</td><td>${m.level}</td>${editCell(`/admin/policy/methods/${encodeURIComponent(id)}`, id)}</tr>`)}</tbody></table>
<h2>${t(lang, 'chgDepartments')}</h2>
<table class="creds"><thead><tr><th scope="col">${t(lang, 'chgDepartment')}</th><th scope="col">${t(lang, 'chgMinLevel')}</th><th scope="col">${t(lang, 'chgMethods')}</th>${editHead}</tr></thead>
<tbody>${clients.map(
      ([id, c]) =>
        html`<tr><th scope="row" class="code">${id}</th><td>${c.minLevel ?? t(lang, 'chgUnset')}</td><td>${c.allowedMethods ? c.allowedMethods.join(', ') : t(lang, 'chgUnset')}</td>${editCell(`/admin/policy/clients/${encodeURIComponent(id)}`, id)}</tr>`,
    )}</tbody></table>
${b.canEdit
  ? html`<form method="get" action="/admin/policy/clients"><label for="new-client">${t(lang, 'chgClientId')}</label>
<input type="text" id="new-client" name="id" required maxlength="64" pattern="[a-z0-9][a-z0-9._\\-]{2,63}" autocomplete="off">
<button type="submit" class="secondary">${t(lang, 'chgAddDepartment')}</button></form>
<h2>${t(lang, 'chgGlobal')}</h2>
<p><a href="/admin/policy/global">${t(lang, 'chgEditGlobal')}</a></p>
<h2>${t(lang, 'chgImport')}</h2>
<form method="post" action="/admin/policy/preview">${b.csrfField}<input type="hidden" name="section" value="import">
<label for="import-doc">${t(lang, 'chgImportDocument')}</label>
<textarea id="import-doc" name="document" rows="6" required aria-describedby="import-hint"></textarea>
<p class="hint" id="import-hint">${t(lang, 'chgImportHint')}</p>
<button type="submit">${t(lang, 'chgPreview')}</button></form>`
  : ''}
${home(lang)}`,
  );
}

export function editPage(b: PageBase & { title: string; section: string; id: string; fields: Html }): string {
  const { lang } = b;
  return framedPage(
    b,
    b.title,
    html`<form method="post" action="/admin/policy/preview">${b.csrfField}
<input type="hidden" name="section" value="${b.section}"><input type="hidden" name="id" value="${b.id}">
${b.fields}
<button type="submit">${t(lang, 'chgPreview')}</button></form>
<p><a href="/admin/policy">${t(lang, 'chgNavPolicy')}</a></p>`,
  );
}

export function confirmPage(
  b: PageBase & { version: number; summary: readonly string[]; needsApproval: boolean; hours: number; document: string; back: string },
): string {
  const { lang } = b;
  return framedPage(
    b,
    t(lang, 'chgConfirmTitle'),
    html`<p>${t(lang, 'chgDiffIntro', { version: b.version })}</p>
${summaryList(lang, b.summary)}
<p class="note">${b.needsApproval ? t(lang, 'chgNeedsApproval', { hours: b.hours }) : t(lang, 'chgAtOnce')}</p>
<form method="post" action="/admin/policy/propose">${b.csrfField}
<input type="hidden" name="document" value="${b.document}"><input type="hidden" name="baseVersion" value="${b.version}">
${reasonField(lang, 'reason')}
<button type="submit">${t(lang, 'chgSubmit')}</button></form>
<p><a href="${b.back}">${t(lang, 'chgBack')}</a></p>`,
  );
}

export function versionsPage(b: PageBase & { current: number; versions: readonly VersionSummary[]; canRollBack: boolean; notice: Html }): string {
  const { lang } = b;
  return framedPage(
    b,
    t(lang, 'chgVersions'),
    html`${b.notice}
${b.versions.map(
  (v) => html`<section aria-labelledby="v${v.version}"><h2 id="v${v.version}">${t(lang, 'chgVersion', { version: v.version })}${v.version === b.current ? html` <span class="status">${t(lang, 'chgCurrentVersion')}</span>` : ''}</h2>
<dl><dt>${t(lang, 'chgBy')}</dt><dd class="code">${v.actorId}</dd><dt>${t(lang, 'chgWhen')}</dt><dd>${dateTime(lang, v.createdAt)}</dd><dt>${t(lang, 'chgWhy')}</dt><dd>${v.reason}${v.rollbackOf !== undefined ? html` (${t(lang, 'chgRollbackOf', { version: v.rollbackOf })})` : ''}</dd></dl>
${v.diff.length ? html`<ul>${v.diff.map((l) => html`<li class="code">${l}</li>`)}</ul>` : ''}
${b.canRollBack && v.version !== b.current
  ? html`<form method="post" action="/admin/policy/rollback">${b.csrfField}<input type="hidden" name="version" value="${v.version}">
${reasonField(lang, `reason-v${v.version}`)}
<button type="submit" class="secondary">${t(lang, 'chgRollback')} <span class="code">${v.version}</span></button></form>`
  : ''}
</section>`,
)}
<p><a href="/admin/policy">${t(lang, 'chgNavPolicy')}</a></p>`,
  );
}
