// The system tools `npm test` and `npm start` need beyond Node and npm, checked before anything runs:
//   test   a Chrome-family browser (end-to-end suite in code-server), php-cli and python3 with Flask, FastAPI and
//          uvicorn (the generated handler stubs run for real), and what code-server needs to build (ripgrep,
//          libkrb5-dev, make, g++)
//   start  what code-server needs to build (when there is no desktop `code`)
// On Debian or Ubuntu the missing packages are installed with apt-get, as root or through passwordless sudo, and
// the script says what it installs. Anywhere else, or without root, it stops at once with the exact command to run.
//
//   node scripts/prerequisites.mjs test|start [--check]     (--check: report only, install nothing)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findBrowser } from './browser.mjs';
import { CODE_SERVER_BUILD_TOOLS, which } from './codeServer.mjs';

const mode = process.argv[2] ?? 'test';
const checkOnly = process.argv.includes('--check');

function say(msg) {
  process.stderr.write(`[prerequisites] ${msg}\n`);
}

// The stub tests run the system Python (Debian's packages install the frameworks for it), not a pyenv shim on PATH.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function pythonHas(module) {
  return spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

// Each requirement: what it is, how to tell it is there, and the Debian/Ubuntu package that provides it.
const requirements = [
  { what: 'a Chrome-family browser (Chromium, Chrome or Edge)', present: () => findBrowser() !== null, apt: 'chromium', brew: '--cask chromium', modes: ['test'] },
  { what: 'php-cli', present: () => which('php') !== null, apt: 'php-cli', brew: 'php', modes: ['test'] },
  { what: 'python3', present: () => existsSync(PYTHON) || which(PYTHON) !== null, apt: 'python3', brew: 'python', modes: ['test'] },
  { what: 'Flask for python3', present: () => pythonHas('flask'), apt: 'python3-flask', pip: 'flask', modes: ['test'] },
  { what: 'FastAPI for python3', present: () => pythonHas('fastapi'), apt: 'python3-fastapi', pip: 'fastapi', modes: ['test'] },
  { what: 'uvicorn for python3', present: () => pythonHas('uvicorn'), apt: 'python3-uvicorn', pip: 'uvicorn', modes: ['test'] },
  ...CODE_SERVER_BUILD_TOOLS.map((tool) => ({ ...tool, modes: ['test', 'start'] })),
];

// npm start opens desktop VS Code when `code` is on PATH: then code-server, and what it needs, is not used.
const desktop = mode === 'start' && process.env.KWH_FORCE_CODE_SERVER !== '1' && which('code') !== null;
const needed = desktop ? [] : requirements.filter((r) => r.modes.includes(mode));
const missing = needed.filter((r) => !r.present());
if (missing.length === 0) process.exit(0);

const list = missing.map((r) => `  - ${r.what}`).join('\n');
const aptPackages = [...new Set(missing.map((r) => r.apt).filter(Boolean))];
const isDebian = process.platform === 'linux' && which('apt-get') !== null && existsSync('/etc/debian_version');

if (!isDebian || checkOnly) {
  const how =
    process.platform === 'darwin'
      ? `brew install ${missing.map((r) => r.brew).filter(Boolean).join(' ')}${missing.some((r) => r.pip) ? ` && python3 -m pip install ${missing.map((r) => r.pip).filter(Boolean).join(' ')}` : ''}`
      : process.platform === 'win32'
        ? 'install Google Chrome or Microsoft Edge, PHP (https://windows.php.net) and Python with `py -m pip install flask fastapi uvicorn`'
        : `sudo apt-get install -y ${aptPackages.join(' ')}   (or your distribution's packages for the same tools)`;
  say(`missing for npm ${mode}:\n${list}\ninstall them with:\n  ${how}\nthen run npm ${mode} again.`);
  process.exit(1);
}

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
if (!root && !sudo) {
  say(`missing for npm ${mode}:\n${list}\nrun this once (it needs root), then npm ${mode} again:\n  sudo apt-get update && sudo apt-get install -y ${aptPackages.join(' ')}`);
  process.exit(1);
}

const prefix = root ? [] : ['sudo', '-n'];
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const apt = (args) => {
  const [cmd, ...rest] = [...prefix, 'apt-get', ...args];
  return spawnSync(cmd, rest, { stdio: ['ignore', 'inherit', 'inherit'], env }).status === 0;
};
say(`installing with apt-get for npm ${mode}: ${aptPackages.join(' ')}\n${list}`);
if (!apt(['update', '-qq']) || !apt(['install', '-y', '-qq', ...aptPackages])) {
  say(`apt-get could not install ${aptPackages.join(' ')}; install them by hand and run npm ${mode} again.`);
  process.exit(1);
}
const still = needed.filter((r) => !r.present());
if (still.length > 0) {
  say(`still missing after apt-get:\n${still.map((r) => `  - ${r.what}`).join('\n')}`);
  process.exit(1);
}
say('all prerequisites are installed');
