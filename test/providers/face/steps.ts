/** Steps through the face method's real pages, and the sandbox capture page in between. */
import assert from 'node:assert/strict';
import { authUrl, type Browser } from '../../support/browser.ts';
import type { Page } from '../contract/driver.ts';
import type { Stack } from '../../support/stack.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import type { SampleKind } from '../../../providers/face/sandbox.ts';

/** Face does not enrol: the citizen gets a password credential first, directly. */
export async function ensureEnrolled(stack: Stack, key: string): Promise<void> {
  const c = citizen(key);
  if (await stack.ctx.identity.findPersonIdByIdNumber(c.idNumber)) return;
  await stack.ctx.identity.enrol(c.idNumber, {
    name: c.name,
    phone: c.phone ?? undefined,
    proofing: 'remote',
    credentials: [{ method: 'id-card-password', identifier: c.idNumber, secretHash: await stack.secrets.hash('FacePrep2026x') }],
  });
}

/** Name + ID number on the method's first page; returns the consent page (or an error). */
export function submitDetails(browser: Browser, first: Page, who: { name: string; idNumber: string }): Promise<Page> {
  return browser.submit(first.text, /method\/face$/, { name: who.name, id_number: who.idNumber });
}

/** Ticks (or not) the separate consent; on success the page links to the authority's capture page. */
export function submitConsent(browser: Browser, consentPage: Page, tick = true): Promise<Page> {
  return browser.submit(consentPage.text, /method\/face$/, tick ? { consent: 'yes' } : {});
}

/** After the consent, the browser is sent (303) to the authority's capture page. */
export function captureUrlOf(page: Page): string | undefined {
  if (page.location && /\/face\/capture\//.test(page.location)) return page.location;
  return page.text.match(/href="(https?:\/\/[^"]+\/face\/capture\/[^"]+)"/)?.[1]?.replace(/&amp;/g, '&');
}

/** Plays the tester on the sandbox capture page; returns where the authority sends the browser back. */
export async function capture(captureUrl: string, sample: SampleKind | 'cancel'): Promise<string> {
  const pageRes = await fetch(captureUrl);
  assert.equal(pageRes.status, 200, 'the capture page opens');
  const html = await pageRes.text();
  const action = html.match(/<form method="post" action="([^"]+)"/)?.[1];
  assert.ok(action, 'the capture page has a form');
  const body: Record<string, string> = sample === 'cancel' ? { action: 'cancel' } : { action: 'done', sample };
  const res = await fetch(new URL(action, captureUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
    redirect: 'manual',
  });
  assert.equal(res.status, 303, 'the authority sends the browser back');
  return res.headers.get('location')!;
}

/** From the method's first page to the page after the callback (a redirect to the client on success). */
export async function faceSignIn(browser: Browser, first: Page, who: { name: string; idNumber: string }, sample: SampleKind | 'cancel' = 'match'): Promise<Page> {
  const consent = await submitDetails(browser, first, who);
  if (consent.status !== 200 || !/name="consent"/.test(consent.text)) return consent;
  const next = await submitConsent(browser, consent);
  const url = captureUrlOf(next);
  if (!url) return next;
  return browser.open(await capture(url, sample));
}

/** Opens a fresh authorization request and the face method's first page. */
export async function openFace(browser: Browser, clientId: string, redirectUri: string): Promise<Page> {
  const chooser = await browser.open(authUrl(clientId, redirectUri).url);
  const link = chooser.text.match(/href="(\/interaction\/[^"]+\/method\/face)"/);
  assert.ok(link, 'the chooser offers face');
  return browser.open(link[1]!);
}

export function codeOn(page: Page): string | undefined {
  return page.text.match(/class="code">[^<:]*: ([a-z_]+)</)?.[1];
}
