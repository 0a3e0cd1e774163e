// Accessibility and care mode (关怀版), proven in headless Chromium on every page type:
// axe-core (WCAG 2.0/2.1/2.2 A and AA) with zero violations in both modes, care-mode
// measurements (text ≥ 20 px, line height ≥ 1.5, contrast ≥ 7:1, targets ≥ 60 px, one column,
// nothing that moves or pops up), reflow at 320 px, 200 % text, touch targets, and keyboard-only
// flows. Adding a page type is one line in PAGES.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, TAKEN_DOWN } from './server.mjs';
import { axeViolations, measure, distractions, sidewaysOverflow, tabUntil } from './a11y.mjs';

// [name, path, expected status]. Signed-in pages (studio, editor console, audit log, report
// forms) are audited in people.test.mjs and moderation.test.mjs.
const PAGES = [
  ['home', '/', 200],
  ['channel', '/channel/sports', 200],
  ['article', '/a/1', 200],
  ['comments (跟贴)', '/a/1/comments?sort=new', 200],
  ['creator', '/creator/jiangcheng', 200],
  ['creators (号)', '/hao', 200],
  ['search', '/search?q=%E5%9F%8E', 200],
  ['申请入驻', '/apply', 200],
  ['sign-in', '/signin', 200],
  ['sign-up', '/signup', 200],
  ['care mode help', '/care', 200],
  ['accessibility help', '/accessibility', 200],
  ['404', '/no-such-page', 404],
  ['410', `/a/${TAKEN_DOWN}`, 410],
];
const CARE = '?care=1';
const withCare = (path) => path + (path.includes('?') ? '&care=1' : CARE);

let server, browser;
before(async () => {
  server = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(path, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const res = await page.goto(server.url + path);
  return { context, page, status: res.status() };
}

for (const [name, path, status] of PAGES) {
  test(`${name}: runs under its Content-Security-Policy with nothing blocked, in both modes`, async () => {
    for (const p of [path, withCare(path)]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const blocked = [];
      page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) blocked.push(m.text()); });
      const res = await page.goto(server.url + p);
      assert.match(res.headers()['content-security-policy'] || '', /script-src 'self'/, `${p} has a CSP`);
      await page.waitForLoadState('load');
      // The page's own script ran (the toolbar switch is wired up by a11y.js).
      assert.deepEqual(blocked, [], `CSP blocked something on ${p}`);
      await context.close();
    }
  });

  test(`${name}: 0 axe violations in normal and care mode`, async () => {
    for (const p of [path, withCare(path)]) {
      const { context, page, status: got } = await open(p);
      assert.equal(got, status, `${p} status`);
      assert.deepEqual(await axeViolations(page), [], `axe violations on ${p}`);
      await context.close();
    }
  });

  test(`${name}: care mode meets the elder-friendly numbers`, async () => {
    const { context, page } = await open(withCare(path));
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('care')), 'care mode is on');
    const bodyFont = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(bodyFont >= 20, `body text ${bodyFont}px`);
    const m = await measure(page, { minFont: 20, minLineHeight: 1.5, minContrast: 7, minTarget: 60 });
    assert.ok(m.texts > 5 && m.targets > 5, `measured ${m.texts} texts and ${m.targets} targets`);
    assert.deepEqual(m.problems, [], 'care-mode measurements');
    assert.deepEqual(await distractions(page), [], 'no ads, pop-ups, autoplay or carousels');
    // One simple column: everything in <main> starts at the same left edge.
    const lefts = await page.evaluate(() => [...document.querySelectorAll('main > *, main .article-layout > *, main .home-layout > *')]
      .filter((e) => e.getBoundingClientRect().width > 0 && !e.matches('.breadcrumb')).map((e) => Math.round(e.getBoundingClientRect().left)));
    assert.ok(Math.max(...lefts) - Math.min(...lefts) <= 4, `care mode has more than one column: left edges ${[...new Set(lefts)]}`);
    await context.close();
  });

  test(`${name}: reflows at 320 px and survives 200 % text`, async () => {
    for (const p of [path, withCare(path)]) {
      const { context, page } = await open(p, { viewport: { width: 320, height: 640 } });
      assert.ok((await sidewaysOverflow(page)) <= 0, `${p} scrolls sideways at 320 px`);
      await context.close();
    }
    const { context, page } = await open(path);
    await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
    assert.ok((await sidewaysOverflow(page)) <= 0, 'scrolls sideways at 200 % text');
    const bodyFont = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main')).fontSize));
    assert.equal(bodyFont, 32, 'text scaled to 200 %');
    await context.close();
  });

  test(`${name}: the care switch is within the first 3 Tab stops, in both modes`, async () => {
    for (const p of [path, withCare(path)]) {
      const { context, page } = await open(p);
      const presses = await tabUntil(page, () => document.activeElement.classList.contains('care-switch'), 3);
      assert.ok(presses > 0, `care switch not within 3 Tab stops on ${p}`);
      await context.close();
    }
  });
}

test('touch layouts: every control outside running text is at least 44 × 44 px', async () => {
  for (const [, path] of PAGES) {
    const { context, page } = await open(path, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const m = await measure(page, { minTarget: 44, targetFilter: 'not-inline-text' });
    assert.deepEqual(m.problems, [], `touch targets on ${path}`);
    await context.close();
  }
});

test('keyboard only: enter care mode, enlarge the text, read an article, leave care mode', async () => {
  const { context, page } = await open('/');
  assert.ok((await tabUntil(page, () => document.activeElement.classList.contains('care-switch'), 3)) > 0);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('care')), 'care mode entered');
  assert.ok((await tabUntil(page, () => document.activeElement.classList.contains('size-up'), 6)) > 0, '放大字号 reachable');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize)), 24, 'text grew to 24 px');
  assert.ok((await tabUntil(page, () => /^\/a\/\d+$/.test(new URL(document.activeElement.href || 'x:', location).pathname))) > 0, 'an article link is reachable');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(new URL(page.url()).pathname, /^\/a\/\d+$/);
  assert.ok(await page.locator('h1').isVisible());
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('care')), 'care mode persists (cookie)');
  const read = page.locator('button.read-aloud');
  assert.ok(await read.isVisible(), 'read-aloud button in care mode');
  await read.focus();
  await page.keyboard.press('Enter');
  assert.equal(await read.getAttribute('aria-pressed'), 'true', 'reading aloud');
  await page.keyboard.press('Enter');
  assert.equal(await read.getAttribute('aria-pressed'), 'false', 'stopped');
  assert.ok((await tabUntil(page, () => document.activeElement.classList.contains('care-switch'), 80)) > 0, '退出关怀版 reachable by Tab from the article');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.ok(!(await page.evaluate(() => document.documentElement.classList.contains('care'))), 'care mode left');
  await context.close();
});

test('keyboard only: skip link, then search and open a result', async () => {
  const { context, page } = await open('/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '跳到正文');
  assert.ok(await page.locator('.skip-link').isVisible(), 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main', 'focus moved to the main content');
  const { context: c2, page: p2 } = await open('/');
  assert.ok((await tabUntil(p2, () => document.activeElement.id === 'site-search', 10)) > 0, 'search box reachable');
  await p2.keyboard.type('地铁');
  await Promise.all([p2.waitForNavigation(), p2.keyboard.press('Enter')]);
  assert.match(p2.url(), /\/search\?q=/);
  // A result, not any article link (the empty state lists hot articles too).
  assert.ok(await p2.locator('.search-results a').count() > 0, 'the search found something');
  assert.ok((await tabUntil(p2, () => document.activeElement.closest('.search-results') !== null && /^\/a\/\d+$/.test(new URL(document.activeElement.href || 'x:', location).pathname))) > 0, 'a result is reachable');
  await Promise.all([p2.waitForNavigation(), p2.keyboard.press('Enter')]);
  assert.match(await p2.locator('h1').innerText(), /地铁/);
  await context.close();
  await c2.close();
});

test('无障碍浏览 toolbar: keyboard-operable, every tool works, settings persist', async () => {
  const { context, page } = await open('/a/1');
  assert.ok((await tabUntil(page, () => document.activeElement.matches('.modes .a11y-open'), 3)) > 0, 'toolbar switch within 3 Tab stops');
  await page.keyboard.press('Enter');
  const toolbar = page.locator('#a11y-toolbar');
  assert.ok(await toolbar.isVisible(), 'toolbar opens');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '文字缩小', 'focus moves into the toolbar');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '文字放大', 'arrow keys move between tools');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize), '20px', 'text zoom 125 %');
  for (const [tool, cls] of [['contrast', 'a11y-contrast'], ['cursor', 'a11y-cursor'], ['textonly', 'a11y-textonly']]) {
    await page.locator(`[data-a11y="${tool}"]`).focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(`[data-a11y="${tool}"]`).getAttribute('aria-pressed'), 'true', `${tool} pressed`);
    assert.ok(await page.evaluate((c) => document.documentElement.classList.contains(c), cls), `${tool} applied`);
  }
  assert.ok(!(await page.locator('.article-body img').first().isVisible()), 'text-only view hides images');
  await page.locator('[data-a11y="guide"]').focus();
  await page.keyboard.press('Enter');
  assert.ok(await page.locator('.a11y-guide').isVisible(), 'reading guide shows');
  assert.match(await page.locator('.a11y-status').innerText(), /辅助线/, 'screen readers hear what changed');
  // High contrast still passes axe (contrast included).
  assert.deepEqual(await axeViolations(page), [], 'axe violations with the toolbar on and high contrast');
  await page.reload();
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('a11y-contrast')), 'settings persist across pages');
  assert.ok(await toolbar.isVisible(), 'toolbar stays open');
  await page.locator('[data-a11y="reset"]').focus();
  await page.keyboard.press('Enter');
  assert.ok(!(await page.evaluate(() => document.documentElement.classList.contains('a11y-contrast'))), 'reset');
  await page.keyboard.press('Escape');
  assert.ok(!(await toolbar.isVisible()), 'Escape closes the toolbar');
  assert.ok(await page.evaluate(() => document.activeElement.matches('.modes .a11y-open')), 'focus returns to the switch');
  await context.close();
});
