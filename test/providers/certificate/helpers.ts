/**
 * Steps of a certificate sign-in through the real pages: the waiting page's hand-off link, the
 * sandbox signing simulator (a browser form, followed by hand), and hand-made callbacks.
 */
import assert from 'node:assert/strict';
import type { Browser } from '../../support/browser.ts';
import type { Page } from '../contract/driver.ts';
import { signNonce, type TestCertificate } from '../../../providers/certificate/sandbox.ts';

const unescape = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

export interface Handoff {
  signer: URL;
  nonce: string;
  /** our callback (ctx.callbackUrl), where the signing software returns */
  returnTo: string;
}

/** Reads the signing-software link off the waiting page. */
export function handoffOf(page: Page): Handoff {
  assert.equal(page.status < 500, true, page.text.slice(0, 300));
  const href = page.text.match(/<a class="button" href="([^"]+\/sign\?[^"]+)"/)?.[1];
  assert.ok(href, 'the waiting page links to the signing software');
  const signer = new URL(unescape(href));
  return { signer, nonce: signer.searchParams.get('nonce')!, returnTo: signer.searchParams.get('return_to')! };
}

/** Picks `cert` ("<citizen>:<variant>") in the simulator, like a person would, and follows it back to us. */
export async function signWithSimulator(browser: Browser, page: Page, cert: string, action: 'sign' | 'cancel' = 'sign'): Promise<Page> {
  return browser.open(await simulatorReturn(page, cert, action));
}

/** The simulator's answer: the URL of our callback it sends the browser back to. */
export async function simulatorReturn(page: Page, cert: string, action: 'sign' | 'cancel' = 'sign'): Promise<string> {
  const { signer } = handoffOf(page);
  const form = await fetch(signer);
  assert.equal(form.status, 200);
  const html = await form.text();
  assert.ok(html.includes(`value="${cert}"`), `the simulator offers ${cert}`);
  const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescape(m[2]!)]));
  const back = await fetch(new URL('sign', signer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hidden, cert, action }),
    redirect: 'manual',
  });
  assert.equal(back.status, 303, await back.text());
  return back.headers.get('location')!;
}

/** Sends the browser back to our callback with whatever the test wants the "software" to say. */
export function callback(browser: Browser, h: Handoff, query: Record<string, string>): Promise<Page> {
  const u = new URL(h.returnTo);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return browser.open(u.toString());
}

/** What honest signing software sends for `cert` and `nonce`. */
export async function signedQuery(cert: TestCertificate, nonce: string): Promise<Record<string, string>> {
  return { nonce, chain: cert.chain, signature: await signNonce(cert.privateKey, nonce), alg: 'ES256' };
}
