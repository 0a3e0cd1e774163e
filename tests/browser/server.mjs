// Starts `haowen serve --demo` on a free loopback port over a fresh data folder, and stops it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

export async function startServer() {
  const bin = process.env.HAOWEN_BIN || join(root, 'target', 'debug', 'haowen');
  const dataDir = mkdtempSync(join(tmpdir(), 'haowen-browser-'));
  const child = spawn(bin, ['--data-dir', dataDir, 'serve', '--demo', '--bind', '127.0.0.1:0'], {
    env: { ...process.env, HAOWEN_LOG: 'warn' },
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
