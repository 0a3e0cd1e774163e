import { chromium } from 'playwright-core';
const [src, dst, y, h, w] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: Number(w || 1366), height: Number(h) } });
await p.goto(`file://${src}`);
await p.evaluate((y) => { document.body.style.margin = 0; window.scrollTo(0, y); }, Number(y));
await p.screenshot({ path: dst });
await b.close();
