/** The service centres and counter staff page: lists, and forms to add a centre, add staff, deactivate staff. */
import type { Lang } from '../../i18n/text.ts';
import { t, type UiKey } from '../../i18n/ui.ts';
import { html } from '../../web/html.ts';
import { adminPage } from '../home-views.ts';
import { CSRF_FIELD } from '../auth.ts';
import { reasonInput } from '../helpdesk/views.ts';
import type { listStaff } from './actions.ts';

type Listing = Awaited<ReturnType<typeof listStaff>>;

function input(id: string, name: string, label: UiKey, lang: Lang, extra = '') {
  return html`<label for="${id}">${t(lang, label)}</label><input type="text" id="${id}" name="${name}" required autocomplete="off"${extra ? html` maxlength="${extra}"` : ''}>`;
}

export function staffPage(v: { lang: Lang; elder: boolean; path: string; csrf: string; list: Listing; done: boolean }): string {
  const { lang } = v;
  const csrf = html`<input type="hidden" name="${CSRF_FIELD}" value="${v.csrf}">`;
  return adminPage({
    lang,
    elder: v.elder,
    path: v.path,
    csrf: v.csrf,
    title: t(lang, 'stTitle'),
    body: html`<h1>${t(lang, 'stTitle')}</h1>${v.done ? html`<p class="note" role="status">${t(lang, 'stDone')}</p>` : ''}
<h2 id="st-centres">${t(lang, 'stCentres')}</h2>
<table aria-labelledby="st-centres"><thead><tr><th scope="col">${t(lang, 'stCentreId')}</th><th scope="col">${t(lang, 'stCentreName')}</th><th scope="col">${t(lang, 'stDistrict')}</th></tr></thead>
<tbody>${v.list.centres.map((c) => html`<tr><td><span class="code">${c.id}</span></td><td>${c.name}</td><td>${c.district}</td></tr>`)}</tbody></table>
<h3>${t(lang, 'stAddCentre')}</h3>
<form method="post" action="/admin/staff/centres">${csrf}
${input('st-c-id', 'id', 'stCentreId', lang, '40')}${input('st-c-name', 'name', 'stCentreName', lang, '100')}${input('st-c-district', 'district', 'stDistrict', lang, '50')}
${reasonInput(lang, 'st-c-reason')}<button type="submit">${t(lang, 'stAddCentre')}</button></form>
<h2 id="st-staff">${t(lang, 'stStaff')}</h2>
<table aria-labelledby="st-staff"><thead><tr><th scope="col">${t(lang, 'stDisplayName')}</th><th scope="col">${t(lang, 'stCentreId')}</th><th scope="col">${t(lang, 'stRole')}</th><th scope="col">${t(lang, 'opsStatus')}</th><th scope="col"><span class="visually-hidden">${t(lang, 'stDeactivate')}</span></th></tr></thead>
<tbody>${v.list.staff.map((s) => html`<tr><td>${s.display_name}</td><td>${s.centre_id}</td><td><span class="code">${s.role}</span></td><td>${t(lang, s.active ? 'stActive' : 'stInactive')}</td>
<td>${s.active ? html`<form method="post" action="/admin/staff/members/${s.person_id}/deactivate">${csrf}${reasonInput(lang, `st-d-${s.person_id}`)}<button type="submit" class="secondary">${t(lang, 'stDeactivate')}</button></form>` : ''}</td></tr>`)}</tbody></table>
<h3>${t(lang, 'stAddStaff')}</h3>
<form method="post" action="/admin/staff/members">${csrf}
${input('st-m-id', 'id_number', 'stIdNumber', lang, '18')}${input('st-m-name', 'name', 'stName', lang, '50')}${input('st-m-centre', 'centre', 'stCentreId', lang, '40')}
<label for="st-m-role">${t(lang, 'stRole')}</label><select id="st-m-role" name="role"><option value="counter_staff">counter_staff</option><option value="counter_supervisor">counter_supervisor</option></select>
${input('st-m-display', 'display_name', 'stDisplayName', lang, '40')}
${reasonInput(lang, 'st-m-reason')}<button type="submit">${t(lang, 'stAddStaff')}</button></form>
<p><a href="/admin">${t(lang, 'opsBack')}</a></p>`,
  });
}
