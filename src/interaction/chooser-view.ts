/**
 * The method chooser, written for people: the most used ways first (three in elder mode, four
 * otherwise), every other way under "more ways" (a <details>, no script needed), what each way
 * is good for in plain words, help for people without a phone near the top, and who runs the
 * service with a number to call at the foot.
 */
import type { LoginMethod, MethodGroup } from '../../providers/kit/index.ts';
import type { Lang } from '../i18n/text.ts';
import { t } from '../i18n/ui.ts';
import { html, type Html } from '../web/html.ts';
import { page } from '../web/layout.ts';
import { named, textHtml } from '../web/mixed-lang.ts';
import { serviceInfo } from '../config/service-info.ts';
import { cancelForm, problemBox, type PageCtx, type Problem } from './views.ts';

const GROUPS: readonly [MethodGroup, 'groupCommon' | 'groupCards' | 'groupApps'][] = [
  ['common', 'groupCommon'],
  ['cards', 'groupCards'],
  ['apps', 'groupApps'],
];

const GOOD_FOR = { 1: 'goodFor1', 2: 'goodFor2', 3: 'goodFor3' } as const;

export interface ChooserOptions {
  methods: readonly LoginMethod[];
  enrolable: readonly LoginMethod[];
  requiredLevel: number;
  stepUp: boolean;
  partial: boolean;
  problem?: Problem;
}

/** The configured most-used ways that are on offer, topped up in the registry's order to `count`. */
export function firstWays(methods: readonly LoginMethod[], preferred: readonly string[], count: number): LoginMethod[] {
  const first = preferred.map((id) => methods.find((m) => m.id === id)).filter((m): m is LoginMethod => m !== undefined);
  for (const m of methods) if (first.length < count && !first.includes(m)) first.push(m);
  return first.slice(0, count);
}

function methodItem(c: PageCtx, m: LoginMethod): Html {
  const { lang } = c;
  const level = Math.min(3, Math.max(1, m.level)) as 1 | 2 | 3;
  return html`<li><a href="/interaction/${c.uid}/method/${m.id}"><span class="icon" aria-hidden="true">${t(lang, m.label).slice(0, 1)}</span>
<span><strong>${t(lang, m.label)}</strong><br><span class="hint">${t(lang, m.description)}</span>
<span class="good-for">${t(lang, GOOD_FOR[level])}</span></span></a></li>`;
}

function operatorLine(lang: Lang): Html {
  const info = serviceInfo();
  const tel = info.helpPhone.replace(/[ -]/g, '');
  return html`<p class="operator">${t(lang, 'operatorLine', { operator: info.operator[lang] })}
${t(lang, 'helpLine')} <a href="tel:${tel}">${info.helpPhone}</a></p>`;
}

export function chooserPage(c: PageCtx, o: ChooserOptions): string {
  const { lang } = c;
  const intro = o.partial
    ? t(lang, 'partial', { level: o.requiredLevel })
    : o.stepUp
      ? textHtml(lang, 'stepUp', { client: named(lang, c.clientName), level: o.requiredLevel })
      : textHtml(lang, 'signInTo', { client: named(lang, c.clientName) });
  const count = c.elder ? 3 : 4;
  // one more than the first few is not worth a "more" section of its own
  const first = o.methods.length <= count + 1 ? [...o.methods] : firstWays(o.methods, serviceInfo().firstMethods, count);
  const rest = o.methods.filter((m) => !first.includes(m));
  const groups = GROUPS.map(([g, key]) => {
    const list = rest.filter((m) => m.group === g);
    return list.length ? html`<h3>${t(lang, key)}</h3><ul class="methods">${list.map((m) => methodItem(c, m))}</ul>` : '';
  });
  return page({
    lang,
    elder: c.elder,
    path: c.path,
    kiosk: c.kiosk,
    title: t(lang, 'chooseMethod'),
    body: html`<h1>${t(lang, 'chooseMethod')}</h1>
<p class="${o.stepUp || o.partial ? 'note' : ''}">${intro}</p>
${problemBox(lang, o.problem)}
<p class="help">${t(lang, 'noPhone')}</p>
<h2>${t(lang, 'firstWays')}</h2>
<ul class="methods">${first.map((m) => methodItem(c, m))}</ul>
${rest.length ? html`<details class="more"><summary>${t(lang, 'moreWays', { count: rest.length })}</summary>${groups}</details>` : ''}
${o.enrolable.map((m) => html`<p><a href="/interaction/${c.uid}/enrol/${m.id}">${t(lang, 'register')}</a></p>`)}
${cancelForm(c)}
${operatorLine(lang)}`,
  });
}
