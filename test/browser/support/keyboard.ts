/** Keyboard-only driving: Tab until the wanted control has focus (failing if it never does), then keys. */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement).catch(() => false);

/** Presses Tab (at most `max` times) until `target` has focus. */
export async function tabTo(page: Page, target: Locator, what: string, max = 60): Promise<void> {
  await target.first().waitFor({ state: 'attached' });
  for (let i = 0; i < max; i++) {
    if (await isFocused(target.first())) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${what} never received focus by Tab (${max} presses) at ${page.url()}`);
}

/** Tab to `target` and press Enter, waiting for the navigation it starts to end at `until`. */
export async function activate(page: Page, target: Locator, what: string, until: RegExp | ((u: URL) => boolean)): Promise<void> {
  await tabTo(page, target, what);
  await Promise.all([page.waitForURL(until), page.keyboard.press('Enter')]);
}

/** Tab to a field and type into it. */
export async function typeInto(page: Page, field: Locator, what: string, text: string): Promise<void> {
  await tabTo(page, field, what);
  await page.keyboard.type(text);
}

export async function focusedIs(target: Locator): Promise<boolean> {
  return isFocused(target.first());
}
