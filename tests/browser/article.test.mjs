// The article page as a reader sees it: every block visible, on a desktop and on a phone,
// the share menu working, images loaded, no sideways scrolling. Screenshots go to out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const out = join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });
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

const blocks = [
  ['breadcrumb', 'nav.breadcrumb', /^首页\s*>\s*好文号\s*>\s*正文$/],
  ['申请入驻', 'header a.apply', /申请入驻/],
  ['title', 'h1#article-title', /江城地铁五号线今日开通/],
  ['creator link', '.meta a.author', /江城观察/],
  ['time', '.meta time', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/],
  ['comment count', '.meta .comments', /跟贴 \d+/],
  ['share menu', '.meta details.share summary', /分享至/],
  ['body', '.article-body p', /五号线/],
  ['figure caption', '.article-body figcaption', /钟楼站/],
  ['declaration', 'p.declaration', /声明：/],
  ['disclaimer', 'section.disclaimer', /特别声明[\s\S]*Notice/],
  ['related', 'section.related li', /./],
  ['hot list', 'section.hot li', /./],
  ['author card', 'aside.author-card', /文章数[\s\S]*关注度/],
  ['往期回顾', 'aside.author-card .past li', /./],
  ['全部', 'aside.author-card a.all', /全部/],
  ['channel boxes', 'section.channel-boxes', /头条要闻[\s\S]*体育要闻[\s\S]*娱乐要闻[\s\S]*财经要闻[\s\S]*科技要闻[\s\S]*汽车要闻/],
  ['态度原创', 'section.original-boxes', /态度原创[\s\S]*教育[\s\S]*时尚[\s\S]*艺术[\s\S]*家居[\s\S]*游戏/],
  ['footer', 'footer.site-footer', /无障碍浏览[\s\S]*进入关怀版/],
];

for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  test(`article page shows every block (${name})`, async () => {
    const page = await browser.newPage({ viewport });
    const res = await page.goto(`${server.url}/a/1`);
    assert.equal(res.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    for (const [label, selector, text] of blocks) {
      const el = page.locator(selector).first();
      await el.scrollIntoViewIfNeeded();
      assert.ok(await el.isVisible(), `${label} (${selector}) is not visible`);
      assert.match((await el.innerText()).trim(), text, `${label} text`);
    }
    const img = page.locator('.article-body figure img');
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('.article-body figure img').complete);
    assert.ok(await img.evaluate((i) => i.naturalWidth > 0), 'body image loaded');
    assert.ok((await img.getAttribute('alt')).length > 0, 'body image has alt text');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(out, `article-${name}.png`), fullPage: true });
    await page.close();
  });
}

test('分享至 opens a menu with a QR code, network links and a working copy button', async () => {
  // Headless Chromium names itself in its user agent and, like any bot, is not counted;
  // this test plays a reader's browser.
  const userAgent = (await browser.newBrowserCDPSession().then((s) => s.send('Browser.getVersion'))).userAgent.replace('HeadlessChrome', 'Chrome');
  // The reader allows the clipboard, so the copy must really land there.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto(`${server.url}/a/2`);
  const before = Number((await page.locator('.share-count').innerText()).replace(/\D/g, ''));
  await page.click('details.share summary');
  const qr = page.locator('.share-menu .qr img');
  assert.ok(await qr.isVisible(), 'QR code visible');
  await page.waitForFunction(() => document.querySelector('.share-menu .qr img').complete);
  assert.ok(await qr.evaluate((i) => i.naturalWidth > 0), 'QR code loaded');
  assert.ok(await page.locator('.share-menu a', { hasText: '新浪微博' }).isVisible());
  assert.ok(await page.locator('.share-menu a', { hasText: 'QQ好友' }).isVisible());
  assert.match(await page.inputValue('#share-url'), /\/a\/2$/);
  const copy = page.locator('button.copy-link');
  assert.ok(await copy.isVisible(), 'the script reveals the copy button');
  await copy.click();
  await page.waitForFunction((n) => document.querySelector('.share-count').textContent !== `(${n})`, before);
  assert.equal(await page.locator('.share-count').innerText(), `(${before + 1})`);
  assert.equal(await page.locator('.copy-status').innerText(), '已复制链接');
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^http:\/\/127\.0\.0\.1:\d+\/a\/2$/, 'the link is on the clipboard');
  await page.screenshot({ path: join(out, 'share-menu.png') });
  await context.close();
});

test('home, channel and creator pages render with their blocks', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}/`);
  assert.ok(await page.locator('#headlines-heading').isVisible());
  assert.ok((await page.locator('.channel-block').count()) >= 11, 'one block per channel');
  await page.screenshot({ path: join(out, 'home.png'), fullPage: true });
  await page.click('nav.channel-nav a:text-is("体育")');
  await page.waitForURL(/\/channel\/sports$/);
  assert.equal(await page.locator('main h1').innerText(), '体育');
  await page.locator('.article-list .byline a').first().click();
  await page.waitForURL(/\/creator\//);
  assert.ok(await page.locator('.profile .stats').isVisible());
  await page.close();
});
