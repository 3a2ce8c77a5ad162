/**
 * What the MIIT elder-friendly rules and WCAG's focus and reflow rules ask, measured on the page
 * as rendered: computed font sizes and line heights, text contrast from computed colours against
 * the nearest painted background, control sizes from their boxes, focus ring contrast, and
 * whether the page scrolls sideways.
 */
import type { Page } from 'playwright-core';

export interface Measures {
  /** texts below the smallest size (px) */
  smallText: string[];
  largestFontPx: number;
  /** texts whose line height is under the ratio */
  tightLines: string[];
  /** texts under the contrast ratio */
  lowContrast: string[];
  /** visible controls smaller than the target size */
  smallTargets: string[];
}

/**
 * Helpers put into the page once per document, as an expression evaluated by the browser's
 * debugging protocol (the pages' CSP allows no eval of their own).
 */
const HELPERS = `globalThis.__tb = (() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null; const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (x, y) => { const a = lum(x), b = lum(y); return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
  const backgroundOf = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
  const shown = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' "' + (el.textContent || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 30) + '"';
  return { parse, ratio, backgroundOf, shown, name };
})(); true`;

interface Helpers {
  parse(c: string): { r: number; g: number; b: number; a: number } | null;
  ratio(x: object, y: object): number;
  backgroundOf(el: Element): { r: number; g: number; b: number; a: number };
  shown(el: Element): boolean;
  name(el: Element): string;
}
type WithHelpers = typeof globalThis & { __tb: Helpers };

async function withHelpers(page: Page): Promise<void> {
  if (!(await page.evaluate(() => '__tb' in globalThis))) await page.evaluate(HELPERS);
}

export async function measureElder(page: Page, o: { minTextPx: number; minLineRatio: number; minContrast: number; minTargetPx: number }): Promise<Measures> {
  await withHelpers(page);
  return page.evaluate((opts) => {
    const { parse, ratio, backgroundOf, shown, name } = (globalThis as WithHelpers).__tb;
    const out: Measures = { smallText: [], largestFontPx: 0, tightLines: [], lowContrast: [], smallTargets: [] };
    const texts = [...document.body.querySelectorAll('*')].filter(
      (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim()) && shown(el) && !el.closest('svg, .skip, [hidden]'),
    );
    for (const el of texts) {
      const s = getComputedStyle(el);
      const size = parseFloat(s.fontSize);
      out.largestFontPx = Math.max(out.largestFontPx, size);
      if (size < opts.minTextPx) out.smallText.push(`${name(el)} ${size}px`);
      const lh = s.lineHeight === 'normal' ? 1.2 * size : parseFloat(s.lineHeight);
      if (lh / size < opts.minLineRatio - 1e-6) out.tightLines.push(`${name(el)} ${(lh / size).toFixed(2)}`);
      const fg = parse(s.color);
      const r = fg ? ratio(fg, backgroundOf(el)) : 0;
      if (r < opts.minContrast) out.lowContrast.push(`${name(el)} ${r.toFixed(2)}:1`);
    }
    const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')].filter(
      (el) => shown(el) && !el.closest('.skip, [hidden]'),
    );
    for (const el of controls) {
      const b = el.getBoundingClientRect();
      if (b.width < opts.minTargetPx - 0.5 || b.height < opts.minTargetPx - 0.5) out.smallTargets.push(`${name(el)} ${Math.round(b.width)}x${Math.round(b.height)}`);
    }
    return out;
  }, o);
}

export interface FocusRing {
  what: string;
  widthPx: number;
  contrast: number;
}

/** The focus ring of whatever has focus now: its width and its contrast against what surrounds it. */
export async function focusRing(page: Page): Promise<FocusRing | null> {
  await withHelpers(page);
  return page.evaluate(() => {
    const { parse, ratio, backgroundOf, name } = (globalThis as WithHelpers).__tb;
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const width = s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth);
    const ring = parse(s.outlineColor);
    // the ring sits just outside the element (outline-offset), so it is seen against the parent's background
    const around = backgroundOf(el.parentElement ?? el);
    return { what: name(el), widthPx: width, contrast: ring ? ratio(ring, around) : 0 };
  });
}

/** Whether the page scrolls sideways (content wider than the viewport). */
export async function scrollsSideways(page: Page): Promise<{ scrollWidth: number; clientWidth: number } | null> {
  const m = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  return m.scrollWidth > m.clientWidth ? m : null;
}
