// Installs code-server into a cache folder outside the repo's dependency tree and starts it.
// Shared by `npm start` (scripts/start.mjs) and the e2e harness (test/e2e/support/).
// The install is offline-friendly: only the npm registry is used; every download-on-install step
// (ripgrep binary, node-gyp headers) is replaced by a local equivalent (/usr/bin/rg, Node's own headers).
//
// CLI: `node scripts/codeServer.mjs install` installs (idempotent) and prints the binary path.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync, rmSync, symlinkSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startHostGuard } from './hostGuard.mjs';
import { cacheRoot } from './cacheRoot.mjs';
import { ensureNode } from './nodeVersions.mjs';

export { cacheRoot };

/**
 * The code-server releases the extension is run in. `newest` is the newest release (its server needs Node 24, which
 * comes from the npm registry like the suites' other Nodes); `floor` is VS Code 1.100, the oldest the manifest's
 * engines.vscode range allows (4.100.x is also the last line that runs on Node 20). KWH_CODE_SERVER picks one;
 * `npm start` and the e2e suite's first run use `newest`.
 */
export const CODE_SERVER_RELEASES = {
  newest: { version: '4.139.1', vscode: '1.139', nodeMajor: '24' },
  floor: { version: '4.100.3', vscode: '1.100', nodeMajor: '20' },
};

export function codeServerRelease() {
  const name = process.env.KWH_CODE_SERVER || 'newest';
  const release = CODE_SERVER_RELEASES[name];
  if (!release) throw new Error(`KWH_CODE_SERVER=${name} is not a known code-server release; use one of ${Object.keys(CODE_SERVER_RELEASES).join(', ')}`);
  return { name, ...release };
}

/** The Node that runs (and builds the native modules of) the selected code-server: this one when the major matches. */
export function serverNode() {
  const { nodeMajor } = codeServerRelease();
  return process.versions.node.split('.')[0] === nodeMajor ? process.execPath : ensureNode(nodeMajor);
}

export function codeServerDir() {
  return join(cacheRoot(), `code-server-${codeServerRelease().version}`);
}

function packageDir() {
  return join(codeServerDir(), 'node_modules', 'code-server');
}

/** The JS entry point; run it with serverNode() (it is a Node script, not a native binary). */
export function codeServerBin() {
  return join(packageDir(), 'out', 'node', 'entry.js');
}

const completeMarker = () => join(codeServerDir(), '.install-complete');

export function isCodeServerInstalled() {
  return existsSync(completeMarker()) && existsSync(codeServerBin());
}

/**
 * What building code-server needs from the system (its native modules), with the Debian/Ubuntu and Homebrew packages
 * that provide it. scripts/prerequisites.mjs installs from this list.
 */
export const CODE_SERVER_BUILD_TOOLS = [
  { what: 'ripgrep (code-server build)', present: () => which('rg') !== null, apt: 'ripgrep', brew: 'ripgrep' },
  {
    what: 'libkrb5-dev (code-server build: kerberos module)',
    present: () => process.platform !== 'linux' || existsSync('/usr/include/krb5.h') || existsSync('/usr/include/gssapi/gssapi.h'),
    apt: 'libkrb5-dev',
  },
  { what: 'make and g++ (native modules)', present: () => which('make') !== null && which('g++') !== null, apt: 'build-essential' },
];

/** Why code-server cannot be installed/run here, or null when the prerequisites are present. */
export function missingPrerequisites() {
  const missing = CODE_SERVER_BUILD_TOOLS.filter((t) => !t.present()).map((t) => `${t.what} (apt-get install -y ${t.apt})`);
  return missing.length ? missing.join('; ') : null;
}

export function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function log(msg) {
  process.stderr.write(`[code-server] ${msg}\n`);
}

// node-gyp would download Node headers from the internet; Node ships them next to its binary
// on Debian/nvm/official tarballs, so point node-gyp there.
function nodeHeadersDir(node) {
  const prefix = dirname(dirname(node));
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : null;
}

function nodeVersion(node) {
  return node === process.execPath ? process.versions.node : spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
}

// npm (a Node script) runs under the server's Node, first on PATH, so native modules are built for that Node's ABI.
function npmEnv() {
  const node = serverNode();
  const env = { ...process.env, npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
  env.PATH = `${dirname(node)}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}`;
  const headers = nodeHeadersDir(node);
  if (headers) env.npm_config_nodedir = headers;
  // Never let Electron/Playwright-style postinstalls try to fetch binaries.
  env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
  env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
  // A VS Code build step would otherwise try to download ripgrep from GitHub.
  env.VSCODE_RIPGREP_SKIP_DOWNLOAD = '1';
  return env;
}

function run(cmd, args, cwd, what) {
  const started = Date.now();
  log(`${what}: ${cmd} ${args.join(' ')} (in ${cwd})`);
  const r = spawnSync(cmd, args, { cwd, env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`code-server install step "${what}" failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}).\n${tail}\n` +
      `Fix: check network access to the npm registry and the build prerequisites (libkrb5-dev, make, g++), then rerun \`node scripts/codeServer.mjs install\`.`);
  }
  log(`${what}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

function step(name, fn) {
  const marker = join(codeServerDir(), '.steps', `${name}.done`);
  if (existsSync(marker)) return;
  fn();
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, new Date().toISOString());
}

function forceSymlink(target, path) {
  try { lstatSync(path); rmSync(path, { recursive: true, force: true }); } catch { /* absent */ }
  symlinkSync(target, path);
}

// Native modules VS Code's server loads. Loading each one is the real check: `npm rebuild` can skip a
// module silently, and some (@parcel/watcher) ship prebuilt binaries in optional packages instead.
const nativeModules = ['node-pty', '@parcel/watcher', '@vscode/spdlog', 'kerberos', 'native-watchdog', '@vscode/deviceid'];

function checkNativeModules() {
  const vscodeDir = join(packageDir(), 'lib', 'vscode');
  const problems = [];
  const load = (name, cwd, required = false) => {
    // Not every version ships every module; resolution walks up, as it does at run time.
    const found = spawnSync(serverNode(), ['-e', 'require.resolve(process.argv[1])', name], { cwd });
    if (found.status !== 0) { if (required) problems.push(`${name} (not installed)`); return; }
    const r = spawnSync(serverNode(), ['-e', 'require(process.argv[1])', name], { cwd, encoding: 'utf8' });
    if (r.status !== 0) problems.push(`${name} (${(r.stderr || '').trim().split('\n').find((l) => /Error/.test(l)) ?? 'failed to load'})`);
  };
  for (const name of nativeModules) load(name, vscodeDir);
  load('argon2', packageDir(), true);
  return problems;
}

async function withInstallLock(fn) {
  const lockDir = join(cacheRoot(), `.code-server-${codeServerRelease().version}.lock`);
  mkdirSync(cacheRoot(), { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try { mkdirSync(lockDir); break; } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than 30 minutes belongs to a dead installer.
      try { if (Date.now() - statSync(lockDir).mtimeMs > 30 * 60_000) { rmSync(lockDir, { recursive: true, force: true }); continue; } } catch { continue; }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another code-server install (lock ${lockDir}). Fix: remove the lock folder if no install is running.`);
      await delay(2000);
    }
  }
  try { return await fn(); } finally { rmSync(lockDir, { recursive: true, force: true }); }
}

/** Installs code-server once (idempotent, resumable by step) and returns the entry script path. */
export async function ensureCodeServer() {
  if (isCodeServerInstalled()) return codeServerBin();
  const missing = missingPrerequisites();
  if (missing) throw new Error(`Cannot install code-server: missing ${missing}.`);
  return withInstallLock(async () => {
    if (isCodeServerInstalled()) return codeServerBin();
    const started = Date.now();
    const dir = codeServerDir();
    const { version } = codeServerRelease();
    const node = serverNode();
    log(`installing code-server@${version} (run by Node ${nodeVersion(node)}) into ${dir} (first use only; takes a few minutes)`);
    mkdirSync(dir, { recursive: true });
    // Its own package.json keeps npm from walking up into the repo's dependency tree.
    if (!existsSync(join(dir, 'package.json'))) {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kwh-code-server-cache', private: true, version: '0.0.0' }, null, 2));
    }
    const vscodeDir = join(packageDir(), 'lib', 'vscode');
    step('fetch', () => run('npm', ['install', '--ignore-scripts', '--no-save', '--no-package-lock', '--prefix', dir, `code-server@${version}`], dir, 'fetch code-server'));
    step('vscode-deps', () => run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-save'], vscodeDir, 'install VS Code server dependencies'));
    step('ripgrep', () => {
      const binDir = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
      mkdirSync(binDir, { recursive: true });
      forceSymlink(which('rg'), join(binDir, 'rg'));
    });
    step('vscode-rebuild', () => run('npm', ['rebuild', '--unsafe-perm'], vscodeDir, 'build VS Code native modules'));
    step('asar-link', () => forceSymlink('node_modules', join(vscodeDir, 'node_modules.asar')));
    step('extensions-deps', () => run('npm', ['install', '--omit=dev', '--no-save'], join(vscodeDir, 'extensions'), 'install built-in extension dependencies'));
    // argon2 is hoisted next to code-server (the cache folder's node_modules), so rebuild it there.
    // Its node-pre-gyp install tries a download first and falls back to building from source.
    step('argon2-build', () => run('npm', ['rebuild', 'argon2'], dir, 'build argon2'));
    const problems = checkNativeModules();
    if (problems.length) {
      throw new Error(`code-server native modules did not build: ${problems.join(', ')}. ` +
        `Fix: install build tools and libkrb5-dev, delete ${dir} and rerun \`node scripts/codeServer.mjs install\`.`);
    }
    writeFileSync(completeMarker(), JSON.stringify({ version, node: nodeVersion(node), seconds: Math.round((Date.now() - started) / 1000) }));
    log(`code-server ready in ${((Date.now() - started) / 1000).toFixed(0)}s`);
    return codeServerBin();
  });
}

/** Settings that keep code-server quiet and deterministic: no telemetry, updates, tips or trust prompt. */
export const quietSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Writes settings.json into `<userDataDir>/User/`, merged over the quiet defaults. */
export function writeUserSettings(userDataDir, extra = {}) {
  const userDir = join(userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  const file = join(userDir, 'settings.json');
  let existing = {};
  try { existing = JSON.parse(readFileSync(file, 'utf8')); } catch { /* fresh */ }
  writeFileSync(file, JSON.stringify({ ...quietSettings, ...existing, ...extra }, null, 2));
  return file;
}

function baseArgs(dirs) {
  const args = [];
  if (dirs?.userDataDir) args.push('--user-data-dir', dirs.userDataDir);
  if (dirs?.extensionsDir) args.push('--extensions-dir', dirs.extensionsDir);
  return args;
}

/** Installs a VSIX into the given user-data/extensions dirs (code-server's CLI, no server needed). */
export function installVsix(vsixPath, dirs = {}) {
  const r = spawnSync(serverNode(), [codeServerBin(), ...baseArgs(dirs), '--install-extension', resolve(vsixPath), '--force'], {
    encoding: 'utf8',
    env: { ...process.env, ...(dirs.env ?? {}) },
    timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed|already installed/i.test(out)) {
    throw new Error(`Installing ${vsixPath} into code-server failed (exit ${r.status}):\n${out.trim()}\nFix: rebuild the VSIX with \`npm run package\`.`);
  }
  return out.trim();
}

/**
 * Starts code-server in its own process group and resolves once it answers /healthz.
 * `port: 0` picks a free port (read back from code-server's log).
 */
export async function startCodeServer({ port = 0, userDataDir, extensionsDir, workspace, env = {}, logFile, timeoutMs = 90_000 } = {}) {
  // No password (the browser we open must get in at once), so code-server itself is reachable only through a unix
  // socket in a private folder, and the loopback host guard in front of it (scripts/hostGuard.mjs) is the way in.
  const socketDir = mkdtempSync(join(tmpdir(), 'kwh-cs-'));
  chmodSync(socketDir, 0o700);
  const socketPath = join(socketDir, 'code-server.sock');
  const args = [
    codeServerBin(),
    '--auth', 'none',
    '--socket', socketPath,
    '--socket-mode', '600',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...baseArgs({ userDataDir, extensionsDir }),
  ];
  if (workspace) args.push(workspace);
  const child = spawn(serverNode(), args, {
    detached: true, // own process group so stop() can kill VS Code's server and extension hosts too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const onData = (chunk) => {
    const text = chunk.toString();
    output += text;
    if (output.length > 1_000_000) output = output.slice(-500_000);
    if (logFile) try { writeFileSync(logFile, text, { flag: 'a' }); } catch { /* best effort */ }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = null;
  const exitPromise = new Promise((res) => child.once('exit', (code, signal) => { exited = { code, signal }; res(exited); }));

  let guard = null;
  const stop = async () => {
    await guard?.close();
    guard = null;
    try { rmSync(socketDir, { recursive: true, force: true }); } catch { /* best effort */ }
    if (exited) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    const done = await Promise.race([exitPromise.then(() => true), delay(5000).then(() => false)]);
    // The group may still hold extension hosts even after the main process exits.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    if (!done) await Promise.race([exitPromise, delay(2000)]);
  };

  const deadline = Date.now() + timeoutMs;
  let url = null;
  try {
    guard = await startHostGuard({ port, socketPath });
    url = guard.url;
    for (;;) {
      if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${output.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`code-server did not become ready within ${timeoutMs} ms:\n${output.slice(-4000)}`);
      if (existsSync(socketPath)) {
        try {
          const res = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) });
          if (res.ok) break;
        } catch { /* not yet */ }
      }
      await delay(250);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, process: child, stop, output: () => output, exited: () => exited };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cmd = process.argv[2] ?? 'install';
  if (cmd === 'install') {
    const started = Date.now();
    ensureCodeServer().then((bin) => {
      log(`entry: ${bin} (${((Date.now() - started) / 1000).toFixed(0)}s)`);
      process.stdout.write(`${bin}\n`);
    }, (e) => { process.stderr.write(`${e.message}\n`); process.exit(1); });
  } else if (cmd === 'path') {
    process.stdout.write(`${codeServerBin()}\n`);
    process.exit(isCodeServerInstalled() ? 0 : 1);
  } else {
    process.stderr.write('usage: node scripts/codeServer.mjs [install|path]\n');
    process.exit(2);
  }
}
