// People in the browser tests: a fresh browser context per person, sign-up and sign-in through
// the real forms, and the axe-core check of a signed-in page in normal and care mode.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { axeViolations } from './a11y.mjs';

export const PASSWORD = '浏览器测试密码2026';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** One person: their own cookies. */
export async function person(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return { context, page: await context.newPage() };
}

export async function signUp(server, page, username, name) {
  await page.goto(`${server.url}/signup`);
  await page.fill('#f-username', username);
  await page.fill('#f-display_name', name);
  await page.fill('#f-password', PASSWORD);
  await page.fill('#f-password_again', PASSWORD);
  await Promise.all([page.waitForURL(/\/me$/), page.click('main form button[type=submit]')]);
}

export async function signIn(server, page, { username, password }) {
  await page.goto(`${server.url}/signin`);
  await page.fill('#f-username', username);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForURL(`${server.url}/`), page.click('main form button[type=submit]')]);
}

/** Zero axe violations on the current page in normal and care mode; ends in normal mode. */
export async function noViolations(page, what) {
  for (const mode of ['', 'care=1']) {
    if (mode) {
      const url = new URL(page.url());
      url.searchParams.set('care', '1');
      await page.goto(url.toString());
    }
    assert.deepEqual(await axeViolations(page), [], `axe violations on ${what} ${mode}`);
  }
  const url = new URL(page.url());
  url.searchParams.set('care', '0');
  await page.goto(url.toString());
}
