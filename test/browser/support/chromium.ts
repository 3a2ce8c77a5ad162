/**
 * Debian's chromium driven through playwright-core: one browser per test file, a fresh empty
 * profile each launch, no network of its own (no updates, no sync). A missing browser fails
 * the test with what to install; it is never a skip.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  browser: Browser;
  /** a new context (own cookies); zh-CN first unless `locale` says otherwise */
  context(opts?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Debian's chromium at ${CHROMIUM_PATH} (apt-get install -y chromium fonts-noto-cjk), or CHROMIUM_PATH pointing at one.`,
    );
  }
  // launch() starts from a new empty profile directory and removes it on close
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    timeout: 60_000,
  });
  return {
    browser,
    async context(opts = {}) {
      const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 }, ...opts });
      ctx.setDefaultTimeout(20_000);
      ctx.setDefaultNavigationTimeout(30_000);
      return ctx;
    },
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}
