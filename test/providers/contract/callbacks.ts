/**
 * For methods whose last step is the authority sending the browser back to our callback: the
 * callback a browser last followed, so the contract can replay it, and a forged variant of it.
 */
import type { Browser } from '../../support/browser.ts';
import type { Page } from './driver.ts';

const followed = new WeakMap<Browser, string>();

/** Opens `url` (our callback) in `browser` and remembers it for a replay. */
export function follow(browser: Browser, url: string): Promise<Page> {
  followed.set(browser, url);
  return browser.open(url);
}

/** Opens again the callback `browser` last followed. */
export function replayCallback(browser: Browser): Promise<Page> {
  const url = followed.get(browser);
  if (!url) throw new Error('this browser followed no callback');
  return browser.open(url);
}

/** `url` with `param` replaced by a value the authority never issued. */
export function forged(url: string, param: string): string {
  const u = new URL(url);
  u.searchParams.set(param, `forged${u.searchParams.get(param) ?? ''}`.slice(0, 64));
  return u.toString();
}
