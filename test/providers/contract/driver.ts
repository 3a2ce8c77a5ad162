/**
 * How the method contract test drives one login method through the real pages. Each method
 * folder under test/providers/<id>/ exports `driver` from `driver.ts`.
 */
import type { Stack } from '../../support/stack.ts';
import type { Browser } from '../../support/browser.ts';

export interface Page {
  status: number;
  text: string;
  location?: string;
  path: string;
}

export interface DriverEnv {
  stack: Stack;
  browser: Browser;
}

export interface MethodDriver {
  readonly method: string;
  /** the sandbox authority whose failure makes this method unavailable; undefined when it has none */
  readonly authority?: string;
  /** a synthetic citizen (src/sandbox/citizens.ts key) this method can sign in */
  readonly citizen: string;
  /** makes the citizen able to sign in with this method (nothing, enrol, bind…) */
  prepare(t: DriverEnv): Promise<void>;
  /**
   * From the method's first page (already opened: the page GET /interaction/<uid>/method/<id>
   * answered, or where its redirect led), completes the method as the citizen. Returns the
   * last page: a redirect to the client (`location`) on success, an error page otherwise.
   */
  signIn(t: DriverEnv, first: Page): Promise<Page>;
}
