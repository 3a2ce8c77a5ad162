/** Signs a person in at a level-3 console (/admin, /counter) with their test certificate in the sandbox's signing software. */
import type { Page } from 'playwright-core';

export async function signInByCertificate(page: Page, issuer: string, consolePath: string, key: string): Promise<void> {
  await page.goto(`${issuer}${consolePath}`);
  const ukey = page.locator('a[href$="/method/certificate"]').first();
  // the chooser may keep it under "more ways"
  if (!(await ukey.isVisible())) await page.locator('details:has(a[href$="/method/certificate"]) > summary').click();
  await ukey.click();
  await page.locator('a.button[href*="/sign?"]').click();
  await page.check(`input[name="cert"][value="${key}:valid"]`);
  await page.locator('button[name="action"][value="sign"]').click();
  await page.waitForURL(`${issuer}${consolePath}`);
}
