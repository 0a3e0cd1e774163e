// Screenshots of what readers see, for docs/screenshots/: home, channel, article, tag, search
// and creator pages at 1366 px and 390 px, on the demo site and on an imported archive
// (THUCNews from ../shared/data, when present). Not a test: `scripts/screenshots` runs it.
//
//   node screenshots.mjs OUT_DIR
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const out = resolve(process.argv[2] || join(root, 'docs', 'screenshots'));
const bin = process.env.HAOWEN_BIN || join(root, 'target', 'release', 'haowen');
const thucnews = resolve(root, '..', 'shared', 'data', 'zh_news', 'thucnews_fulltext.jsonl.gz');
const widths = [['desktop', 1366, 900], ['phone', 390, 844]];

async function serve(prepare) {
  const dataDir = mkdtempSync(join(tmpdir(), 'haowen-shots-'));
  const env = { ...process.env, HAOWEN_LOG: 'warn' };
  prepare((args) => execFileSync(bin, ['--data-dir', dataDir, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
  const child = spawn(bin, ['--data-dir', dataDir, 'serve', '--bind', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    let text = '';
    child.stdout.on('data', (c) => { text += c; const m = text.match(/serving (http:\/\/127\.0\.0\.1:\d+)/); if (m) ok(m[1]); });
    child.on('exit', (code) => fail(new Error(`haowen exited with ${code}`)));
  });
  return { url, async stop() { child.kill('SIGTERM'); await new Promise((ok) => child.on('exit', ok)); rmSync(dataDir, { recursive: true, force: true }); } };
}

/** The first link on `path` matching `pattern` (e.g. a channel, a tag, a creator). */
async function firstLink(page, url, path, pattern) {
  await page.goto(url + path);
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
  return hrefs.find((h) => pattern.test(h));
}

async function shoot(browser, site, url, search) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const article = await firstLink(page, url, '/', /^\/a\/\d+$/);
  const channel = await firstLink(page, url, '/', /^\/channel\//);
  const creator = await firstLink(page, url, article, /^\/creator\//);
  const tag = await firstLink(page, url, article, /^\/tag\//);
  await page.close();
  const pages = [['home', '/'], ['channel', channel], ['article', article], ['tag', tag], ['search', `/search?q=${encodeURIComponent(search)}`], ['creator', creator]];
  for (const [name, path] of pages) {
    if (!path) { console.log(`${site}: no ${name} link, skipped`); continue; }
    for (const [label, width, height] of widths) {
      const p = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
      const res = await p.goto(url + path, { waitUntil: 'networkidle' });
      if (res.status() !== 200) throw new Error(`${site} ${path}: ${res.status()}`);
      // JPEG, at most the first 3,000 pixels of the page: enough to judge, small enough to keep.
      const file = join(out, `${site}-${name}-${label}.jpg`);
      // Scroll through so lazy pictures load, as they would for a reader.
      await p.evaluate(async () => {
        for (let y = 0; y < document.documentElement.scrollHeight; y += 600) { window.scrollTo(0, y); await new Promise((r) => setTimeout(r, 30)); }
        window.scrollTo(0, 0);
        await Promise.all([...document.images].map((i) => (i.complete ? null : new Promise((r) => { i.onload = i.onerror = r; }))));
      });
      const full = await p.evaluate(() => document.documentElement.scrollHeight);
      await p.screenshot({ path: file, type: 'jpeg', quality: 70, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(full, 3000) } });
      console.log(file);
      await p.close();
    }
  }
}

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const demo = await serve((run) => run(['demo']));
  try { await shoot(browser, 'demo', demo.url, '江城'); } finally { await demo.stop(); }
  if (existsSync(thucnews)) {
    const archive = await serve((run) => run(['import', thucnews]));
    try { await shoot(browser, 'thucnews', archive.url, '中国'); } finally { await archive.stop(); }
  } else {
    console.log(`no ${thucnews}: the imported-archive screenshots are skipped`);
  }
} finally {
  await browser.close();
}
