// 跟贴 and moderation in a real browser: a reader comments, another replies quoting it (盖楼),
// the count shows 2 on the article and in its channel's list; a report reaches the editors'
// queue; the editor takes the article down → its page answers 410 with the reason, and it is
// gone from the home page, the hot list and the creator page at once; the audit log shows the
// act. Every signed-in page on the way is audited with axe-core in normal and care mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, EDITOR } from './server.mjs';
import { launch, noViolations, person, signIn, signUp } from './session.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('comment → quoted reply → counts → report → takedown (410, gone everywhere) → audit log', { timeout: 180_000 }, async () => {
  const anon = await person(browser);
  // The hottest article of the demo site.
  await anon.page.goto(`${server.url}/`);
  const hotLink = anon.page.locator('.hot-list a.title').first();
  const href = await hotLink.getAttribute('href');
  const title = (await hotLink.innerText()).trim();
  const id = Number(href.split('/').pop());
  await anon.page.goto(`${server.url}${href}`);
  const channelHref = await anon.page.locator('.meta a.channel').getAttribute('href');
  const creatorHref = await anon.page.locator('.meta a.author').getAttribute('href');

  // Reader A comments; the text with markup stays text.
  const a = await person(browser);
  await signUp(server, a.page, 'e2e_reader_a', '跟贴读者甲');
  await a.page.goto(`${server.url}${href}`);
  await a.page.fill('#comment-body', '现场看了，<b>确实精彩</b>！');
  await Promise.all([a.page.waitForURL(/\/comments\?sort=new#c\d+$/), a.page.click('#comment-form button[type=submit]')]);
  const firstId = a.page.url().split('#c').pop();
  assert.equal(await a.page.locator(`#c${firstId} .comment-body`).innerText(), '现场看了，<b>确实精彩</b>！');
  await noViolations(a.page, 'the comments page (signed in)');

  // Reader B replies to it from the article page; the reply quotes it as floor 1.
  const b = await person(browser);
  await signUp(server, b.page, 'e2e_reader_b', '跟贴读者乙');
  await b.page.goto(`${server.url}${href}`);
  await b.page.click(`#c${firstId} .reply-box summary`);
  await b.page.fill(`#reply-${firstId}`, '同感，最后十分钟太揪心了。');
  await Promise.all([b.page.waitForURL(/#c\d+$/), b.page.click(`#c${firstId} .reply-box button[type=submit]`)]);
  const replyId = b.page.url().split('#c').pop();
  const floor = b.page.locator(`#c${replyId} .floor`);
  assert.equal(await floor.count(), 1);
  assert.match(await floor.innerText(), /1楼\s*跟贴读者甲：现场看了，<b>确实精彩<\/b>！/);

  // Anonymous readers see 2 on the article and next to it in its channel's list.
  await anon.page.goto(`${server.url}${href}`);
  assert.equal((await anon.page.locator('.meta a.comments').innerText()).trim(), '跟贴 2');
  assert.match(await anon.page.locator('#comments-heading').innerText(), /\(2\)/);
  await anon.page.goto(`${server.url}${channelHref}`);
  const row = anon.page.locator('.article-list li', { has: anon.page.locator(`a[href="${href}"]`) });
  assert.equal((await row.locator('.comment-count').innerText()).trim(), '跟贴 2');

  // Reader A reports the article.
  await a.page.goto(`${server.url}/a/${id}/report`);
  await noViolations(a.page, 'the report form');
  await a.page.selectOption('#f-kind', 'false');
  await a.page.fill('#f-note', '文中的比分与官方公告不符');
  await Promise.all([a.page.waitForLoadState(), a.page.click('main form button[type=submit]')]);
  assert.match(await a.page.locator('main').innerText(), /举报已提交/);

  // Before the takedown it is on the home page, in the hot list, on the creator page and in
  // search — so that "gone" below means something.
  const query = `${server.url}/search?q=${encodeURIComponent(title.slice(0, 8))}`;
  await anon.page.goto(`${server.url}/`);
  assert.ok(await anon.page.locator(`main a[href="${href}"]`).count() > 0, 'on the home page before');
  assert.ok(await anon.page.locator(`.hot-list a[href="${href}"]`).count() > 0, 'in the hot list before');
  await anon.page.goto(`${server.url}${creatorHref}`);
  assert.ok(await anon.page.locator(`main a[href="${href}"]`).count() > 0, 'on the creator page before');
  await anon.page.goto(query);
  assert.ok(await anon.page.locator(`.search-results a[href="${href}"]`).count() > 0, 'found by search before');

  // The editor finds it in the queue and takes the article down with a reason.
  const editor = await person(browser);
  await signIn(server, editor.page, EDITOR);
  await editor.page.goto(`${server.url}/editor/reports`);
  await noViolations(editor.page, '/editor/reports');
  const item = editor.page.locator('section.report-item', { hasText: title });
  assert.match(await item.innerText(), /被举报 1 次[\s\S]*虚假信息：文中的比分与官方公告不符/);
  await item.locator(`#down-${id}`).fill('经核实比分有误，且未更正');
  await Promise.all([editor.page.waitForURL(/\/editor\/reports$/), item.locator('button.button').click()]);

  // At once: 410 with the reason; gone from the home page, the hot list and the creator page.
  const res = await anon.page.goto(`${server.url}${href}`);
  assert.equal(res.status(), 410);
  assert.match(await anon.page.locator('main').innerText(), /经核实比分有误，且未更正/);
  await anon.page.goto(`${server.url}/`);
  assert.equal(await anon.page.locator(`main a[href="${href}"]`).count(), 0, 'gone from the home page');
  assert.equal(await anon.page.locator(`.hot-list a[href="${href}"]`).count(), 0, 'gone from the hot list');
  await anon.page.goto(`${server.url}${creatorHref}`);
  assert.equal(await anon.page.locator(`main a[href="${href}"]`).count(), 0, 'gone from the creator page');
  // …and from search (the index follows the change feed every 250 ms).
  for (let i = 0; i < 20; i++) {
    await anon.page.goto(query);
    if (await anon.page.locator(`.search-results a[href="${href}"]`).count() === 0) break;
    await anon.page.waitForTimeout(250);
  }
  assert.equal(await anon.page.locator(`.search-results a[href="${href}"]`).count(), 0, 'gone from search');

  // The audit log shows the act, and filters to it.
  await editor.page.goto(`${server.url}/editor/audit`);
  await noViolations(editor.page, '/editor/audit');
  await editor.page.selectOption('#f-action', 'article.');
  await Promise.all([editor.page.waitForURL(/action=article\./), editor.page.click('form.audit-filter button')]);
  const first = editor.page.locator('.audit-table tbody tr').first();
  assert.match(await first.innerText(), /editor_e2e[\s\S]*下架文章[\s\S]*经核实比分有误/);
});
