/** The audit page: the search form (GET, no script), the results with a link to older ones, exports, and the chain check. */
import type { Lang } from '../../i18n/text.ts';
import { t, type UiKey } from '../../i18n/ui.ts';
import { html, type Html } from '../../web/html.ts';
import type { AuditRecord, ChainVerification } from '../../audit/index.ts';
import { adminPage } from '../home-views.ts';
import type { AuditFilter } from './search.ts';

function field(id: string, name: string, label: UiKey, lang: Lang, value: string | undefined, type = 'text'): Html {
  return html`<label for="${id}">${t(lang, label)}</label><input type="${type}" id="${id}" name="${name}" value="${value ?? ''}" autocomplete="off">`;
}

const query = (params: Record<string, string | number | undefined>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.set(k, String(v));
  return u.toString();
};

export interface AuditView {
  lang: Lang;
  elder: boolean;
  path: string;
  csrf: string;
  /** the filters as typed (the citizen's number is never written back into the page) */
  filter: AuditFilter;
  records: AuditRecord[] | null;
  next: string | null;
  verification: ChainVerification | null;
}

export function auditPage(v: AuditView): string {
  const { lang, filter: f } = v;
  const { citizen: _citizen, before: _before, ...kept } = f;
  const results =
    v.records === null
      ? ''
      : html`<h2 id="au-results">${t(lang, 'auResults')}</h2>
${v.records.length
  ? html`<table aria-labelledby="au-results"><thead><tr><th scope="col">${t(lang, 'auSeq')}</th><th scope="col">${t(lang, 'opsWhen')}</th><th scope="col">${t(lang, 'auEvent')}</th><th scope="col">${t(lang, 'auClient')}</th><th scope="col">${t(lang, 'auSource')}</th><th scope="col">${t(lang, 'auDetail')}</th></tr></thead>
<tbody>${v.records.map((r) => html`<tr><td>${r.seq}</td><td>${r.at}</td><td><span class="code">${r.type}</span></td><td>${r.clientId ?? ''}</td><td>${r.source ?? ''}</td><td><span class="code">${JSON.stringify({ ...(r.subjectIndex ? { subjectIndex: r.subjectIndex } : {}), ...r.data })}</span></td></tr>`)}</tbody></table>
${v.next && !f.citizen ? html`<p><a href="/admin/audit?${query({ ...kept, before: v.next })}">${t(lang, 'auOlder')}</a></p>` : ''}`
  : html`<p>${t(lang, 'auNoResults')}</p>`}
${f.citizen ? '' : html`<p><a href="/admin/api/audit/export?${query({ ...kept, format: 'csv' })}">${t(lang, 'auExportCsv')}</a> · <a href="/admin/api/audit/export?${query({ ...kept, format: 'json' })}">${t(lang, 'auExportJson')}</a></p>`}`;
  const c = v.verification;
  const verified = c
    ? html`<div role="status" class="${c.ok ? 'note' : 'error'}"><p>${c.ok ? t(lang, 'auVerifyOk', { checked: c.checked }) : c.brokenAt ? t(lang, 'auVerifyBroken', { seq: c.brokenAt }) : ''}</p>
${c.anchor ? html`<p>${t(lang, `auAnchor_${c.anchor}` as UiKey)}</p>` : ''}
${c.head ? html`<p>${t(lang, 'auHead')}: <span class="code">seq ${c.head.seq} · ${c.head.hash}</span></p>` : ''}</div>`
    : '';
  return adminPage({
    lang,
    elder: v.elder,
    path: v.path,
    csrf: v.csrf,
    title: t(lang, 'auTitle'),
    body: html`<h1>${t(lang, 'auTitle')}</h1>
<form method="get" action="/admin/audit">
${field('au-type', 'type', 'auType', lang, f.type)}
${field('au-from', 'from', 'auFrom', lang, f.from)}
${field('au-to', 'to', 'auTo', lang, f.to)}
${field('au-actor', 'actor', 'auActor', lang, f.actor)}
${field('au-client', 'client', 'auClient', lang, f.client)}
${field('au-citizen', 'citizen', 'auCitizen', lang, undefined)}
<button type="submit">${t(lang, 'auSearch')}</button>
</form>
${results}
<h2>${t(lang, 'auVerify')}</h2>
<form method="get" action="/admin/audit/verify">
${field('au-anchor-seq', 'anchor_seq', 'auAnchorSeq', lang, undefined)}
${field('au-anchor-hash', 'anchor_hash', 'auAnchorHash', lang, undefined)}
<button type="submit">${t(lang, 'auVerify')}</button>
</form>
${verified}
<p><a href="/admin">${t(lang, 'opsBack')}</a></p>`,
  });
}
