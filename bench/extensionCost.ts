// Extension cost (issue #7, benchmark 4): VSIX size (packaged with `npm run package` when stale, like the e2e
// suite), production bundle sizes (esbuild builds of the activation bundle src/extension.ts and the core
// src/extensionCore.ts into a temp dir, with the core's biggest inputs), and activation time as VS Code counts it:
// loading the activation bundle plus activate(), in a fresh child process with a stub `vscode` module (no extension
// host here). The core's load on first use is measured in the same process and reported beside it. Same-run
// baseline: requiring and calling an empty activate() the same way.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { embedStubs } from '../scripts/embedStubs.mjs';
import { ensureVsix } from '../test/e2e/support/extensionPackage';
import { forkBench, nextMessage, waitExit } from './children';
import { median, round } from './stats';

export interface ExtensionCostResult {
  vsixBytes: number;
  bundleBytes: number;
  devBundleBytes: number | null;
  topInputs: Array<{ path: string; bytes: number }>;
  /** Bundle load + activate(), as VS Code counts activation. */
  activationMs: number;
  /** The extension's own "activated in N ms" line (activate() alone). */
  loggedActivationMs: number;
  activateWallMs: number;
  loadMs: number;
  /** Loading and starting the core on first use (a command, or a view asking for its items). */
  coreLoadMs: number;
  coreBundleBytes: number;
  baselineActivateMs: number;
  baselineActivationMs: number;
  activationMeasuredWith: string;
}

interface ActivationReport {
  loadMs: number;
  activateMs: number;
  loggedMs: number | null;
  /** First use: the core loaded and started; null for the empty baseline, which has none. */
  coreMs: number | null;
  subscriptions: number;
}

const repoRoot = resolve(__dirname, '..');

async function activationOnce(bundle: string): Promise<ActivationReport> {
  const child = forkBench('activationChild.ts', [bundle]);
  try {
    return await nextMessage(child, 'activation child', (m) => (m as { report?: ActivationReport }).report, 60_000);
  } finally {
    await waitExit(child);
  }
}

export async function runExtensionCost(log: (line: string) => void = console.log): Promise<ExtensionCostResult> {
  log('extension cost: VSIX, production bundle, activation (stub vscode module, 5 fresh processes)');
  const vsixPath = ensureVsix();
  const vsixBytes = statSync(vsixPath).size;
  const dir = mkdtempSync(join(tmpdir(), 'kwh-bench-ext-'));
  try {
    const outfile = join(dir, 'extension.js');
    const coreFile = join(dir, 'core.js');
    const options = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, legalComments: 'none', metafile: true, logLevel: 'error' } as const;
    await build({ ...options, plugins: [embedStubs], entryPoints: [join(repoRoot, 'src/extension.ts')], outfile, external: ['vscode', './core.js'] });
    const result = await build({ ...options, plugins: [embedStubs], entryPoints: [join(repoRoot, 'src/extensionCore.ts')], outfile: coreFile, external: ['vscode'] });
    const bundleBytes = statSync(outfile).size;
    const coreBundleBytes = statSync(coreFile).size;
    const inputs = result.metafile.outputs[Object.keys(result.metafile.outputs).find((k) => k.endsWith('core.js'))!]!.inputs;
    const byPackage = new Map<string, number>();
    for (const [path, info] of Object.entries(inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = m ? `node_modules/${m[1]}` : path.split('/').slice(0, 3).join('/');
      byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
    }
    const topInputs = [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([path, bytes]) => ({ path, bytes }));
    let devBundleBytes: number | null = null;
    try {
      devBundleBytes = statSync(join(repoRoot, 'dist/extension.js')).size;
    } catch {
      // not built
    }

    const empty = join(dir, 'empty.js');
    writeFileSync(empty, 'exports.activate = function activate(context) { const t = performance.now(); require("vscode").window.createOutputChannel("x").appendLine(`activated in ${(performance.now() - t).toFixed(1)} ms`); };\n');
    const runs: ActivationReport[] = [];
    const baseline: ActivationReport[] = [];
    for (let i = 0; i < 5; i++) {
      runs.push(await activationOnce(outfile));
      baseline.push(await activationOnce(empty));
    }
    if (runs.some((r) => r.loggedMs === null)) throw new Error('the extension did not log "activated in N ms" during activate()');
    if (runs.some((r) => r.coreMs === null)) throw new Error('the core did not load on first use');
    const total = (r: ActivationReport) => r.loadMs + r.activateMs;
    const activationMs = round(median(runs.map(total)), 1);
    const coreLoadMs = round(median(runs.map((r) => r.coreMs!)), 1);
    log(`  VSIX ${(vsixBytes / 1024).toFixed(0)} KiB (${vsixPath}), production activation bundle ${(bundleBytes / 1024).toFixed(1)} KiB, core ${(coreBundleBytes / 1024).toFixed(0)} KiB`);
    log(`  biggest core inputs: ${topInputs.map((t) => `${t.path} ${(t.bytes / 1024).toFixed(0)} KiB`).join(', ')}`);
    log(
      `  activation as VS Code counts it (median of 5): ${activationMs} ms = bundle load ${median(runs.map((r) => r.loadMs)).toFixed(1)} ms + activate() ${median(runs.map((r) => r.activateMs)).toFixed(1)} ms ` +
        `("activated in" ${median(runs.map((r) => r.loggedMs!)).toFixed(1)} ms); empty extension ${median(baseline.map(total)).toFixed(2)} ms; core on first use ${coreLoadMs} ms`,
    );
    return {
      vsixBytes,
      bundleBytes,
      coreBundleBytes,
      devBundleBytes,
      topInputs,
      activationMs,
      loggedActivationMs: round(median(runs.map((r) => r.loggedMs!)), 1),
      activateWallMs: round(median(runs.map((r) => r.activateMs)), 1),
      loadMs: round(median(runs.map((r) => r.loadMs)), 1),
      coreLoadMs,
      baselineActivateMs: round(median(baseline.map((r) => r.activateMs)), 2),
      baselineActivationMs: round(median(baseline.map(total)), 2),
      activationMeasuredWith: 'stub vscode module in a fresh child process (no extension host): activation bundle load + activate()',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runExtensionCost().then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
