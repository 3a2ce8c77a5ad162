/**
 * How the method contract test drives one login method through the real pages. Each method
 * folder under test/providers/<id>/ exports `driver` from `driver.ts`.
 *
 * A sign-in is split at its last step: `begin` takes the citizen from the method's first page
 * to the page the last step is taken on (the code form, the QR waiting page, the authority's
 * redirect…), `finish` takes that step rightly. The contract's other cases take the last step
 * wrongly, late, too often or twice. A case that does not apply to a method is declared with
 * `{ skip: '<why>' }` and shows as skipped, never as passed.
 */
import type { Stack } from '../../support/stack.ts';
import type { Browser } from '../../support/browser.ts';

export interface Page {
  status: number;
  text: string;
  location?: string;
  path: string;
}

/** What a sign-in's own steps get: the service and the browser. */
export interface SignInEnv {
  stack: Stack;
  browser: Browser;
}

export interface DriverEnv extends SignInEnv {
  /** the interaction the method was opened in */
  uid: string;
  /** the same method opened in a new browser, from a new authorization request */
  fresh(): Promise<{ t: DriverEnv; first: Page }>;
}

/** How a refused step answers: its HTTP status and the stable error code on the page. */
export interface Refusal {
  status: number;
  code: RegExp;
}

export type Case<T> = T | { skip: string };

export interface MethodDriver {
  readonly method: string;
  /** the sandbox authority whose failure makes this method unavailable; undefined when it has none */
  readonly authority?: string;
  /** a synthetic citizen (src/sandbox/citizens.ts key) this method can sign in */
  readonly citizen: string;
  /**
   * What the ID token must carry when it is not the method's own level and amr, and why (a
   * method that passes on another session's level, or adds the factor the person chose).
   */
  readonly carries?: { readonly level: 1 | 2 | 3; readonly amr: readonly string[]; readonly why: string };
  /** makes the citizen able to sign in with this method (nothing, enrol, bind…) */
  prepare(t: SignInEnv): Promise<void>;
  /**
   * From the method's first page (already opened: the page GET /interaction/<uid>/method/<id>
   * answered, or where its redirect led) to the page the last step is taken on.
   */
  begin(t: SignInEnv, first: Page): Promise<Page>;
  /** The last step, taken as the citizen would. Returns the last page: a redirect to the client on success. */
  finish(t: SignInEnv, at: Page): Promise<Page>;
  /** The last step taken wrongly (a wrong code or password, a forged callback, a refused scan…). */
  readonly wrong: { readonly what: string; answer(t: SignInEnv, at: Page): Promise<Page>; readonly refused: Refusal };
  /**
   * Garbage input. Methods with a form on their first page get the contract's garbage form
   * post; the others say here what garbage they are sent instead (a forged callback…).
   */
  readonly garbage?: { readonly what: string; send(t: DriverEnv, first: Page): Promise<Page> };
  /**
   * The challenge held between `begin` and `finish` runs out. By default its state is dropped
   * from the ephemeral store, as its TTL would; `expire` replaces that where the method holds
   * something else (an issued code).
   */
  readonly expiry: Case<{ expire?(t: SignInEnv, at: Page): Promise<void>; readonly refused: Refusal }>;
  /** After `tries` wrong answers at the last step, the right answer is refused too. */
  readonly exhaust: Case<{ readonly tries: number; readonly refused: Refusal }>;
  /**
   * The last step's answer, taken again after it signed in, signs nobody in. By default
   * `finish` is repeated on the same page; `again` replaces that where repeating `finish`
   * would make a fresh answer (a new authorization code).
   */
  readonly replay: Case<{ again?(t: DriverEnv, at: Page, done: Page): Promise<Page>; readonly refused: Refusal }>;
}

/** The part of a driver that signs in (what a load run needs). */
export type SignInDriver = Pick<MethodDriver, 'method' | 'authority' | 'citizen' | 'prepare' | 'begin' | 'finish'>;

/** A whole sign-in from the method's first page: a redirect to the client on success. */
export async function signIn(d: SignInDriver, t: SignInEnv, first: Page): Promise<Page> {
  return d.finish(t, await d.begin(t, first));
}
