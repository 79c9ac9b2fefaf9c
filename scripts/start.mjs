// `npm start`: builds and packages the extension, then opens VS Code with it, connected to the embedded
// sandbox (the extension's default account mode). Desktop VS Code (`code` on PATH) gets the repo as
// extension development path; otherwise code-server is installed into a cache folder on first use and
// opened in the browser. Runs until Ctrl-C, then stops everything it started.
//
// Environment:
//   KWH_PORT               code-server port (default: a free one)
//   KWH_WORKSPACE          folder to open (default: a folder under the cache)
//   KWH_PROFILE_DIR        code-server user-data and extensions folders (default: under the cache)
//   KWH_NO_BROWSER=1       print the URL only
//   KWH_SKIP_PACKAGE=1     reuse dist/kaltura-webhook-workbench.vsix; KWH_VSIX=path installs that VSIX instead
//   KWH_FORCE_CODE_SERVER=1  use code-server even when `code` is on PATH
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, ensureCodeServer, installVsix, startCodeServer, which, writeUserSettings } from './codeServer.mjs';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const vsix = process.env.KWH_VSIX ? resolve(process.env.KWH_VSIX) : join(repo, 'dist', 'kaltura-webhook-workbench.vsix');

function say(msg) {
  process.stdout.write(`[start] ${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`[start] ${msg}\n`);
  process.exit(1);
}

function packageExtension() {
  if ((process.env.KWH_SKIP_PACKAGE === '1' || process.env.KWH_VSIX) && existsSync(vsix)) {
    say(`reusing ${vsix} (KWH_SKIP_PACKAGE=1)`);
    return;
  }
  say('building and packaging the extension (npm run package)…');
  const r = spawnSync('npm', ['run', 'package'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) fail('`npm run package` failed; fix the build errors above and run `npm start` again.');
  if (!existsSync(vsix)) fail(`\`npm run package\` did not produce ${vsix}.`);
}

function workspaceFolder() {
  const dir = resolve(process.env.KWH_WORKSPACE || join(cacheRoot(), 'workspace'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

function openBrowser(url) {
  if (process.env.KWH_NO_BROWSER === '1') return;
  const opener = which('xdg-open') ?? which('open');
  if (!opener) return;
  // Detached and ignored: a missing desktop just means the user opens the printed URL.
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

async function startDesktop(code) {
  const workspace = workspaceFolder();
  say(`opening desktop VS Code: ${code} --extensionDevelopmentPath=${repo} ${workspace}`);
  // `code` returns once the window is open; the development host lives on in VS Code itself.
  const r = spawnSync(code, [`--extensionDevelopmentPath=${repo}`, workspace], { stdio: 'inherit' });
  process.exit(r.status ?? 0);
}

async function startInBrowser() {
  await ensureCodeServer();
  const base = resolve(process.env.KWH_PROFILE_DIR || join(cacheRoot(), 'start-profile'));
  const dirs = { userDataDir: join(base, 'user-data'), extensionsDir: join(base, 'extensions') };
  mkdirSync(dirs.userDataDir, { recursive: true });
  mkdirSync(dirs.extensionsDir, { recursive: true });
  writeUserSettings(dirs.userDataDir);
  say('installing the VSIX into code-server…');
  installVsix(vsix, dirs);
  const port = process.env.KWH_PORT ? Number(process.env.KWH_PORT) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`KWH_PORT must be a port number (0-65535), got "${process.env.KWH_PORT}".`);
  const workspace = workspaceFolder();
  const server = await startCodeServer({ port, ...dirs, workspace, logFile: join(base, 'code-server.log') }).catch((e) => fail(e.message));
  const url = `${server.url}?folder=${encodeURIComponent(workspace)}`;
  say(`code-server is running: ${url}`);
  say(`code-server pid ${server.process.pid}`);
  say('the extension starts in sandbox mode: run "Kaltura Webhooks: Start Receiver" from the command palette (F1).');
  say(`logs: ${join(base, 'code-server.log')} · press Ctrl-C to stop`);
  openBrowser(url);

  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping code-server…`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  server.process.once('exit', (code) => {
    if (!stopping) fail(`code-server exited unexpectedly (code ${code}); see ${join(base, 'code-server.log')}.`);
  });
}

packageExtension();
const code = process.env.KWH_FORCE_CODE_SERVER === '1' ? null : which('code');
if (code) await startDesktop(code);
else await startInBrowser();
