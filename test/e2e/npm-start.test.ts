// `npm start` (scripts/start.mjs) in its code-server mode: it installs the VSIX, serves VS Code on a free
// port, the workbench opens in Chromium with the extension's view container, and Ctrl-C (SIGINT) stops
// code-server. Packaging is done once by the harness and handed over with KWH_VSIX.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { ensureVsix, repoRoot } from './support/extensionPackage';
import { CHROMIUM_PATH, e2eSkip } from './support/prerequisites';
import { screenshotRoot } from './support/workbench';

async function isUp(url: string): Promise<boolean> {
  try {
    await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

test('npm start: serves the packaged extension in code-server and stops on Ctrl-C', { timeout: 180_000 }, async (t) => {
  const skip = await e2eSkip();
  if (skip) return t.skip(skip);

  const vsix = ensureVsix();
  const root = mkdtempSync(join(tmpdir(), 'kwh-e2e-start-'));
  const shotDir = join(screenshotRoot, 'npm-start');
  rmSync(shotDir, { recursive: true, force: true });
  mkdirSync(shotDir, { recursive: true });
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      KWH_VSIX: vsix,
      KWH_NO_BROWSER: '1',
      KWH_FORCE_CODE_SERVER: '1',
      KWH_PROFILE_DIR: join(root, 'profile'),
      KWH_WORKSPACE: join(root, 'workspace'),
    },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let codeServerPid: number | undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const deadline = Date.now() + 90_000;
    let url: string | undefined;
    while (!url) {
      url = /code-server is running: (\S+)/.exec(output)?.[1];
      codeServerPid = Number(/code-server pid (\d+)/.exec(output)?.[1]) || undefined;
      if (Date.now() > deadline) throw new Error(`npm start printed no URL within 90 s:\n${output}`);
      if (!url) await delay(250);
    }
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?folder=/);
    assert.match(output, /sandbox mode/, 'tells the user the extension starts with the embedded sandbox');

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.locator('.part.activitybar .action-label[aria-label^="Kaltura Webhooks"]').waitFor({ state: 'visible', timeout: 60_000 });
    await page.screenshot({ path: join(shotDir, '01-code-server-with-extension.png') });

    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, delay(20_000).then(() => 'timeout' as const)]);
    assert.equal(code, 0, `npm start exits cleanly on Ctrl-C:\n${output}`);
    assert.match(output, /SIGINT: stopping code-server/);
    assert.equal(await isUp(url), false, 'code-server no longer answers after Ctrl-C');
  } finally {
    await browser.close().catch(() => undefined);
    for (const pid of [child.pid, codeServerPid]) {
      if (pid) try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    rmSync(root, { recursive: true, force: true });
  }
});
