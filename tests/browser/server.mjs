// Starts Haowen on a free loopback port over a fresh data folder holding the demo site, with
// article 44 taken down (for the 410 page), and stops it afterwards.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
export const TAKEN_DOWN = 44;
/** An editor account made with the CLI, for the review flows. */
export const EDITOR = { username: 'editor_e2e', password: '值班编辑的密码2026' };
/** An admin account made with the CLI, for the 站长后台 pages. */
export const ADMIN = { username: 'admin_e2e', password: '站长的密码2026' };

export async function startServer() {
  const bin = process.env.HAOWEN_BIN || join(root, 'target', 'debug', 'haowen');
  const dataDir = mkdtempSync(join(tmpdir(), 'haowen-browser-'));
  const env = { ...process.env, HAOWEN_LOG: 'warn' };
  const run = (args, input) => execFileSync(bin, ['--data-dir', dataDir, ...args], { env, input, stdio: ['pipe', 'pipe', 'inherit'] });
  run(['demo']);
  run(['admin', 'article', String(TAKEN_DOWN), 'takedown']);
  run(['admin', 'create-user', '--username', EDITOR.username, '--display-name', '值班编辑', '--role', 'editor', '--password-stdin'], EDITOR.password + '\n');
  run(['admin', 'create-user', '--username', ADMIN.username, '--display-name', '站长', '--role', 'admin', '--password-stdin'], ADMIN.password + '\n');
  const child = spawn(bin, ['--data-dir', dataDir, 'serve', '--bind', '127.0.0.1:0'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/serving (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) ok(m[1]);
    });
    child.on('exit', (code) => fail(new Error(`haowen exited early with ${code}: ${out}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((ok) => child.on('exit', ok));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
