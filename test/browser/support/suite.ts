/**
 * One browser test file's world: our whole stack (sandbox authorities, the provider on a real
 * port, the backends the environment names), one chromium, and a department app to sign in to.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startStack, type Stack } from '../../support/stack.ts';
import { createServer } from 'node:net';
import { generateClientSecret } from '../../../src/crypto/client-secret.ts';
import { startDepartmentApp } from '../../../src/demo/department-app.ts';
import { launchChromium, type Chromium } from './chromium.ts';
import { axeViolations, describeViolations } from './axe.ts';

export interface BrowserSuite {
  stack: Stack;
  chromium: Chromium;
  /** a department app (a real relying party) to sign in to */
  client: DepartmentApp;
  /** a new context with its own cookies */
  context(opts?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startBrowserSuite(opts: { env?: Record<string, string>; clientId?: string } = {}): Promise<BrowserSuite> {
  const chromium = await launchChromium();
  let stack: Stack | undefined;
  try {
    stack = await startStack({ env: opts.env });
    const client = await addDepartmentApp(stack, opts.clientId ?? 'browser-dept');
    const s = stack;
    return {
      stack: s,
      chromium,
      client,
      context: (o) => chromium.context(o),
      async close() {
        await chromium.close();
        await client.close();
        await s.close();
      },
    };
  } catch (err) {
    await chromium.close();
    await stack?.close();
    throw err;
  }
}

export interface DepartmentApp {
  clientId: string;
  name: string;
  url: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

/** The demo department app on a port known before it starts, so its redirect URI is registered exactly. */
async function addDepartmentApp(stack: Stack, clientId: string): Promise<DepartmentApp> {
  const secret = generateClientSecret();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const name = `Dept ${clientId}`;
  const app = await startDepartmentApp({ issuer: stack.issuer, clientId, clientSecret: secret, baseUrl: url, title: { 'zh-CN': name, en: name }, port });
  await stack.ctx.register(
    {
      client_id: clientId,
      client_name: name,
      client_secret: secret,
      redirect_uris: [`${url}/callback`],
      post_logout_redirect_uris: [`${url}/`],
      backchannel_logout_uri: `${url}/backchannel-logout`,
      grant_types: ['authorization_code', 'refresh_token'],
    },
    'test',
  );
  return { clientId, name, url, close: app.close };
}

/** Starts a sign-in at the department app; resolves on our chooser (or whatever comes first). */
export async function startSignIn(page: Page, suite: BrowserSuite, query = ''): Promise<void> {
  await page.goto(`${suite.client.url}/login${query}`);
  assert.match(new URL(page.url()).pathname, /^\/interaction\//, `expected our sign-in pages, got ${page.url()}`);
}

/** Fails with a readable list when axe-core finds any WCAG 2.1 A/AA violation on the page. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, describeViolations(`${label} (${page.url()})`, violations));
}

/**
 * One test per page state and language: the page at `path` (with `lang` added to its query)
 * speaks that language and has no axe violation. `at` gives the page and issuer once `before` ran.
 */
export function itHasNoAxeViolations(states: ReadonlyArray<readonly [name: string, path: string]>, at: () => { page: Page; issuer: string }): void {
  for (const lang of ['zh-CN', 'en'] as const) {
    for (const [name, path] of states) {
      it(`has no axe violation: ${name} (${lang})`, async () => {
        const { page, issuer } = at();
        await page.goto(`${issuer}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
        await assertAccessible(page, `${name} ${lang}`);
      });
    }
  }
}
