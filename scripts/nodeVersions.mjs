// Node releases the suites also run on, besides the Node that runs `npm test`: the one VS Code's extension host ships
// (22) and the current LTS (26). Each comes from the npm registry as the official binary package
// (node-<platform>-<arch>@<major>) into the cache folder, once; the machine's own Node is left alone.
//
//   node scripts/nodeVersions.mjs ensure 22      prints the path of a Node 22 binary, installing it on first use
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from './cacheRoot.mjs';

/** VS Code's extension host (Electron 37+) runs Node 22; Node 26 is the LTS line since October 2026. */
export const EXTRA_NODE_MAJORS = ['22', '26'];

function packageName() {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${os}-${process.arch}`;
}

function binaryIn(dir) {
  const base = join(dir, 'node_modules', packageName());
  return process.platform === 'win32' ? join(base, 'bin', 'node.exe') : join(base, 'bin', 'node');
}

/** The path of a Node binary of this major version, installed from the npm registry on first use. */
export function ensureNode(major) {
  const dir = join(cacheRoot(), `node-${major}`);
  const bin = binaryIn(dir);
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`[node ${major}] installing ${packageName()}@${major} from the npm registry into ${dir}\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, `${packageName()}@${major}`], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !existsSync(bin)) throw new Error(`could not install Node ${major} (${packageName()}@${major}) from the npm registry`);
  return bin;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, major] = process.argv.slice(2);
  if (cmd !== 'ensure' || !major) {
    process.stderr.write('usage: node scripts/nodeVersions.mjs ensure MAJOR\n');
    process.exit(2);
  }
  process.stdout.write(`${ensureNode(major)}\n`);
}
