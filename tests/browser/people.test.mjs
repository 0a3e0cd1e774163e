// The people side in a real browser: a new user signs up → applies (申请入驻) → an editor
// approves → the creator writes with a live preview, an uploaded image and an AI label, schedules it ~40 s ahead
// → it appears on the home page, its channel and the creator page on time → a reader follows the
// creator and finds it in 我的关注. Signed-in pages are audited with axe-core on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, EDITOR, ADMIN } from './server.mjs';
import { launch, noViolations, person as makePerson, signUp as makeSignUp } from './session.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const person = () => makePerson(browser);
const signUp = (page, username, name) => makeSignUp(server, page, username, name);

function shanghai(msFromNow) {
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).format(new Date(Date.now() + msFromNow));
  return parts.replace(' ', 'T');
}

test('sign up → apply → approval → scheduled article appears on time → a reader follows', { timeout: 240_000 }, async () => {
  const writer = await person();
  await signUp(writer.page, 'e2e_writer', '浏览器写手');
  await noViolations(writer.page, '/me');

  // 申请入驻
  await writer.page.goto(`${server.url}/apply`);
  await noViolations(writer.page, '/apply (form)');
  await writer.page.fill('#f-display_name', '浏览器号');
  await writer.page.fill('#f-bio', '在浏览器里写作的测试作者');
  await writer.page.selectOption('#f-channel', 'tech');
  await writer.page.fill('#f-sample', '这是一篇代表作：浏览器自动化测试如何证明一个网站真的可用，而不是看起来可用。');
  await writer.page.fill('#f-contact', 'writer@example.com');
  await Promise.all([writer.page.waitForURL(/\/apply$/), writer.page.click('main form button[type=submit]')]);
  assert.match(await writer.page.locator('main').innerText(), /待审核/);

  // An editor approves.
  const editor = await person();
  await editor.page.goto(`${server.url}/signin`);
  await editor.page.fill('#f-username', EDITOR.username);
  await editor.page.fill('#f-password', EDITOR.password);
  await Promise.all([editor.page.waitForURL(`${server.url}/`), editor.page.click('main form button[type=submit]')]);
  await editor.page.goto(`${server.url}/editor/applications`);
  await noViolations(editor.page, '/editor/applications');
  const review = editor.page.locator('section.review', { hasText: '浏览器号' });
  await Promise.all([editor.page.waitForURL(/\/editor\/applications$/), review.locator('button.button').click()]);
  assert.match(await editor.page.locator('main').innerText(), /没有待审核的申请/);

  // The creator writes: live preview, AI label, scheduled ~40 s ahead.
  await writer.page.goto(`${server.url}/apply`);
  assert.match(await writer.page.locator('main').innerText(), /已通过/);
  await writer.page.goto(`${server.url}/studio/new`);
  await noViolations(writer.page, '/studio/new');
  const title = `浏览器定时文章 ${Date.now() % 100000}`;
  await writer.page.fill('#f-title', title);
  await writer.page.fill('#f-body', '## 预览小标题\n\n这篇文章由浏览器测试写成，用来证明定时发布会准时出现。');
  await writer.page.waitForFunction(() => document.querySelector('#studio-preview h2')?.textContent === '预览小标题');
  // An image by the file picker, with its alt text; the Markdown lands in the body.
  await writer.page.fill('#f-image-alt', '测试用的小图');
  await writer.page.setInputFiles('#f-image-file', {
    name: 'pixel.png',
    mimeType: 'image/png',
    buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
  });
  await writer.page.waitForFunction(() => /!\[测试用的小图\]\(\/media\//.test(document.querySelector('#f-body').value)).catch(async (e) => {
    throw new Error(`upload did not finish: ${await writer.page.locator('.upload-status').innerText()} ${e}`);
  });
  await writer.page.waitForFunction(() => document.querySelector('#studio-preview figure img'));
  await writer.page.selectOption('#f-channel', 'tech');
  await writer.page.check('input[name=declaration][value=ai_assisted]');
  // The form takes whole seconds: the article is due at `due` (ms), give or take the dropped
  // milliseconds.
  const due = Date.now() + 40_000;
  await writer.page.fill('#f-publish-at', shanghai(40_000));
  await Promise.all([writer.page.waitForURL(/\/studio\/\d+\/edit$/), writer.page.click('button[value=schedule]')]);
  assert.match(await writer.page.locator('.status-badge').innerText(), /定时发布/);
  const id = writer.page.url().match(/\/studio\/(\d+)\/edit/)[1];

  // Watched until it shows: hidden on every look before its time (the last look within a
  // second or two of it), shown within seconds after.
  const reader = await person();
  const deadline = due + 30_000;
  let shown = false;
  let hiddenLooks = 0;
  let lastHidden = 0;
  while (Date.now() < deadline && !shown) {
    const lookedAt = Date.now();
    await reader.page.goto(`${server.url}/`);
    shown = (await reader.page.locator('main').innerText()).includes(title);
    if (shown) {
      assert.ok(lookedAt >= due - 1000, `shown ${due - lookedAt} ms before its time`);
    } else {
      hiddenLooks += 1;
      lastHidden = lookedAt;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  assert.ok(shown, 'the scheduled article reached the home page on time');
  assert.ok(hiddenLooks > 0 && lastHidden >= due - 3000, `looked close to its time and it was hidden (last look ${due - lastHidden} ms before)`);
  await reader.page.goto(`${server.url}/channel/tech`);
  assert.ok((await reader.page.locator('main').innerText()).includes(title), 'and its channel');
  await reader.page.goto(`${server.url}/a/${id}`);
  assert.match(await reader.page.locator('p.declaration').innerText(), /AI辅助/);
  const figure = reader.page.locator('.article-body figure img');
  await figure.scrollIntoViewIfNeeded();
  await reader.page.waitForFunction(() => document.querySelector('.article-body figure img').complete);
  assert.ok(await figure.evaluate((i) => i.naturalWidth > 0), 'the uploaded image shows');
  assert.equal(await figure.getAttribute('alt'), '测试用的小图');
  await reader.page.click('aside.author-card a.author-card-name, aside.author-card h2 a');
  assert.ok((await reader.page.locator('main').innerText()).includes(title), 'and the creator page');

  // A reader follows the creator and finds the article in 我的关注.
  await signUp(reader.page, 'e2e_reader', '浏览器读者');
  await reader.page.goto(`${server.url}/a/${id}`);
  await Promise.all([reader.page.waitForURL(new RegExp(`/a/${id}$`)), reader.page.click('aside.author-card .follow-button')]);
  assert.match(await reader.page.locator('aside.author-card').innerText(), /已关注/);
  await reader.page.goto(`${server.url}/following`);
  await noViolations(reader.page, '/following');
  assert.ok((await reader.page.locator('main').innerText()).includes(title), 'in 我的关注');

  for (const p of [writer, editor, reader]) await p.context.close();
});

test('editor and admin pages pass axe in both modes', { timeout: 120_000 }, async () => {
  const admin = await person();
  await admin.page.goto(`${server.url}/signin`);
  await admin.page.fill('#f-username', ADMIN.username);
  await admin.page.fill('#f-password', ADMIN.password);
  await Promise.all([admin.page.waitForURL(`${server.url}/`), admin.page.click('main form button[type=submit]')]);
  // An admin without a creator page is refused the studio with a styled 403 — audited too;
  // every admin and editor page opens.
  for (const [path, status] of [['/admin/users', 200], ['/admin/channels', 200], ['/admin/settings', 200], ['/editor/picks', 200], ['/studio', 403]]) {
    const res = await admin.page.goto(`${server.url}${path}`);
    assert.equal(res.status(), status, path);
    await noViolations(admin.page, path);
  }
  await admin.context.close();
});
