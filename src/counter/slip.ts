/**
 * The printed slip for a counter code, in the console's language: large type, plain
 * instructions, and a QR code of the citizen's sign-in page (the account page, which starts a
 * sign-in where the code is offered). Its Print button works through a same-origin script
 * (the CSP allows no inline handler) and stays hidden where scripts do not run.
 */
import type { Lang } from '../i18n/messages.ts';
import { t, timeOfDay } from '../i18n/ui.ts';
import { html, type Html } from '../web/html.ts';
import { qrSvg } from '../web/qr.ts';

/** what the slip's Print button needs on the page (served by src/web/assets.ts) */
export const SLIP_SCRIPT = 'print.js';

/** Where the slip's QR code leads: a page every citizen can open, which signs them in. */
export const slipUrl = (issuer: string): string => `${issuer.replace(/\/+$/, '')}/account`;

export function counterSlip(o: { lang: Lang; code: string; expiresIn: number; centre: string; issuer: string; now?: number }): Html {
  const { lang } = o;
  const grouped = `${o.code.slice(0, 4)} ${o.code.slice(4)}`;
  const until = timeOfDay(lang, new Date((o.now ?? Date.now()) + o.expiresIn * 1000));
  const url = slipUrl(o.issuer);
  return html`<section class="slip" aria-labelledby="slip-title">
<h2 id="slip-title">${t(lang, 'slipTitle')}</h2>
<p class="slip-code" id="counter-code">${grouped}</p>
<ol class="slip-steps">
<li>${t(lang, 'slipStepOpen')}</li>
<li>${t(lang, 'slipStepType')}</li>
<li>${t(lang, 'slipStepOnce', { until })}</li>
</ol>
<p>${qrSvg(url, t(lang, 'slipQr', { url }))}</p>
<p class="hint">${t(lang, 'slipCentre', { centre: o.centre })}</p>
<button type="button" class="noprint" data-print hidden>${t(lang, 'slipPrint')}</button>
</section>`;
}
