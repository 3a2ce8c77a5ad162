/**
 * The waiting page of a method that waits for a confirmation elsewhere (a QR code scanned in an
 * app, a hand-off to a signer). It never reloads itself: a same-origin script (assets/waiting.js)
 * asks the status route and says what happens in a live region, and without a script the
 * "check now" button asks the same, so focus stays where the person put it.
 */
import type { Challenge, LoginMethod } from '../../providers/kit/index.ts';
import { t } from '../i18n/ui.ts';
import { say } from '../i18n/words.ts';
import { html, type Html } from '../web/html.ts';
import { qrSvg } from '../web/qr.ts';
import type { PageCtx } from './views.ts';

export type WaitingChallenge = Extract<Challenge, { kind: 'qr' | 'pending' }>;

export const WAITING_SCRIPT = 'waiting.js';

/** The poll URL a waiting page's "check now" button opens (the page again, or the next step). */
export const pollPath = (action: string, step: string) => `${action}?step=${encodeURIComponent(step)}`;
/** The status route the script asks: JSON, never a page. */
export const statusPath = (action: string, step: string) => `${action}/status?step=${encodeURIComponent(step)}`;

export function waitingBody(c: PageCtx, o: { method: LoginMethod; challenge: WaitingChallenge; action: string; problem: Html | '' }): Html {
  const { lang } = c;
  const ch = o.challenge;
  const poll = pollPath(o.action, ch.step);
  return html`<h1>${t(lang, ch.title)}</h1>${o.problem}
${ch.note ? html`<p class="note">${say(lang, ch.note)}</p>` : ''}
${ch.kind === 'qr' ? html`<p class="qrbox">${qrSvg(ch.payload, t(lang, ch.title))}</p>
${/^https?:\/\//.test(ch.payload) ? html`<p><a href="${ch.payload}" target="_blank" rel="noopener">${t(lang, 'openOnThisDevice')}</a></p>` : ''}
<p class="hint">${t(lang, 'qrExpires', { minutes: Math.max(1, Math.round(ch.expiresIn / 60)) })}</p>` : ''}
${ch.kind === 'pending' && ch.url ? html`<p><a class="button" href="${ch.url}">${t(lang, 'openSigner')}</a></p>` : ''}
<div class="wait" data-poll-url="${statusPath(o.action, ch.step)}" data-poll-every="${ch.pollAfter}"
 data-say-waiting="${t(lang, 'waitStill')}" data-say-done="${t(lang, 'waitDone')}" data-say-failed="${t(lang, 'waitFailed')}" data-say-retry="${t(lang, 'waitRetry')}">
<p id="wait-status" class="status" role="status" aria-live="polite">${t(lang, 'waiting')}</p>
<p class="hint">${t(lang, 'waitHow')}</p>
<p><a class="button" href="${poll}">${t(lang, 'checkAgain')}</a></p>
<p id="wait-again" hidden><a class="button secondary" href="${o.action}">${t(lang, 'waitStartAgain')}</a></p>
</div>`;
}
