// In-page measurements for accessibility and care mode, shared by the tests.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_SOURCE = readFileSync(AXE_PATH, 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe-core on the page; returns its violations, each summarised in one line. */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, as the site's Content-Security-Policy forbids the
  // inline <script> that addScriptTag would insert (the policy is what real pages get).
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }, AXE_TAGS);
  return violations;
}

/**
 * Measures the rendered page: every visible text element (font size, line height, contrast
 * against its effective background) and every visible interactive element (size). Returns the
 * elements that fall short of the given minimums.
 */
export async function measure(page, { minFont, minLineHeight, minContrast, minTarget, targetFilter }) {
  return page.evaluate(({ minFont, minLineHeight, minContrast, minTarget, targetFilter }) => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
      return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : [0, 0, 0, 1];
    };
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) return c;
      }
      return [255, 255, 255, 1];
    };
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none' && !el.closest('[hidden], .sr-only');
    };
    const name = (el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} «${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 20)}»`;
    const problems = [];
    let texts = 0;
    for (const el of document.body.querySelectorAll('*')) {
      const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!ownText || !shown(el) || ['SCRIPT', 'STYLE'].includes(el.tagName)) continue;
      texts++;
      const s = getComputedStyle(el);
      const size = parseFloat(s.fontSize);
      if (minFont && size < minFont) problems.push(`font ${size}px < ${minFont}: ${name(el)}`);
      const lh = s.lineHeight === 'normal' ? 1.2 * size : parseFloat(s.lineHeight);
      if (minLineHeight && lh / size < minLineHeight - 0.01) problems.push(`line height ${(lh / size).toFixed(2)} < ${minLineHeight}: ${name(el)}`);
      if (minContrast) {
        const fg = parse(s.color);
        const bg = background(el);
        const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        const ratio = (a + 0.05) / (b + 0.05);
        if (ratio < minContrast) problems.push(`contrast ${ratio.toFixed(2)} < ${minContrast}: ${name(el)} (${s.color} on rgb(${bg.slice(0, 3)}))`);
      }
    }
    let targets = 0;
    if (minTarget) {
      const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
      for (const el of document.querySelectorAll(selector)) {
        if (!shown(el)) continue;
        if (targetFilter === 'not-inline-text' && el.closest('p, .article-body, .summary')) continue;
        targets++;
        const r = el.getBoundingClientRect();
        if (r.width < minTarget - 0.5 || r.height < minTarget - 0.5) problems.push(`target ${Math.round(r.width)}×${Math.round(r.height)} < ${minTarget}: ${name(el)}`);
      }
    }
    return { problems, texts, targets };
  }, { minFont, minLineHeight, minContrast, minTarget, targetFilter });
}

/** Elements that must never appear in care mode. */
export async function distractions(page) {
  return page.evaluate(() => {
    const selectors = [
      'iframe', 'video[autoplay]', 'audio[autoplay]', 'marquee', 'dialog[open]', '[role=dialog]', '[role=alertdialog]',
      '[class*="carousel"]', '[class*="slider"]', '[class*="swiper"]', '[class*="popup"]', '[class*="modal"]',
      '[class*="advert"]', '[class~="ad"]', '[id^="ad-"]', '[class*="download-app"]', '[class*="app-download"]',
    ];
    return selectors.filter((s) => document.querySelector(s)).map((s) => s);
  });
}

/** How far the page scrolls sideways (0 when it reflows). */
export async function sidewaysOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Presses Tab until `predicate(activeElement)` holds; returns the number of presses or -1. */
export async function tabUntil(page, predicate, max = 80) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(predicate)) return i;
  }
  return -1;
}
