// Packages the extension once per test run: `npm run package` only when the VSIX is missing or older
// than anything that goes into it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const vsixPath = join(repoRoot, 'dist', 'kaltura-webhook-workbench.vsix');

const inputs = ['src', 'media', 'resources', 'l10n', 'package.json', 'package.nls.json', '.vscodeignore', 'scripts/build.mjs', 'README.md'];

function newestMtime(path: string): number {
  let st;
  try { st = statSync(path); } catch { return 0; }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

export function vsixIsStale(): boolean {
  if (!existsSync(vsixPath)) return true;
  const built = statSync(vsixPath).mtimeMs;
  return inputs.some((p) => newestMtime(join(repoRoot, p)) > built);
}

/** Returns the VSIX path, building it first when needed (KWH_E2E_VSIX points at a prebuilt one). */
export function ensureVsix(): string {
  if (process.env.KWH_E2E_VSIX) return resolve(process.env.KWH_E2E_VSIX);
  if (!vsixIsStale()) return vsixPath;
  const started = Date.now();
  const pack = () => spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
  let r = pack();
  // vsce aborts when a file changes size while it zips ("unexpected number of bytes"): retry once.
  if (r.status !== 0 && /unexpected number of bytes/.test(`${r.stderr}`)) r = pack();
  if (r.status !== 0 || !existsSync(vsixPath)) {
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`\`npm run package\` failed (exit ${r.status}), so there is no VSIX to install:\n${out}`);
  }
  process.stderr.write(`[e2e] packaged ${vsixPath} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  return vsixPath;
}
